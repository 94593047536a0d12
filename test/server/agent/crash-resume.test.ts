/**
 * Crash and resume: a real `az serve` runs the task and is killed with SIGKILL at several points; a new `az task
 * resume` process continues from the journal. Side effects (an edit that appends a line) must happen exactly
 * once, and the recorded cost must equal the priced usage of the calls that completed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadScenarios, type Scenario } from '../../fixtures/scripted-llm/scenario.js';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../../fixtures/scripted-llm/server.js';
import { createAgentHome, FILESYSTEM_SERVER, SCENARIOS_DIR } from '../../helpers/agent-home.js';
import { REPO_ROOT, runAz, startDaemon, type Daemon } from '../../helpers/processes.js';
import type { TempHome } from '../../helpers/temp-home.js';

const PROXY = join(REPO_ROOT, 'dist/test/fixtures/mcp-hold-proxy.js');
const PROMPT = 'keep notes in notes.txt';
// gpt-4o-mini: 1000×0.15 + 100×0.6 = 210; 200×0.15 + 1000×0.075 + 100×0.6 = 165; 200×0.15 + 1200×0.075 + 50×0.6 = 150.
const FULL_COST = 210 + 165 + 150;

interface Setup {
  llm: ScriptedLlmServer;
  temp: TempHome;
  daemon: Daemon;
  marker: string;
}

let setup: Setup | undefined;

afterEach(async () => {
  if (!setup) return;
  await setup.daemon.stop('SIGKILL');
  await setup.llm.close();
  setup.temp.cleanup();
  setup = undefined;
});

async function start(options: {
  holdTurn?: number;
  proxy?: { tool: string; mode: 'before' | 'after' };
}): Promise<Setup & { taskId: string; workspace: string }> {
  const [scenario] = loadScenarios([join(SCENARIOS_DIR, 'crash.json')]) as [Scenario];
  if (options.holdTurn !== undefined) (scenario.turns[options.holdTurn] as { hold?: boolean }).hold = true;
  const llm = await startScriptedLlmServer({ scenarios: [scenario] });
  const temp = createAgentHome({ llmUrl: llm.url, filesystem: false });
  const marker = join(temp.home, 'held');
  const filesystem = options.proxy
    ? {
        command: process.execPath,
        args: [
          PROXY,
          '--tool',
          options.proxy.tool,
          '--mode',
          options.proxy.mode,
          '--marker',
          marker,
          '--',
          process.execPath,
          FILESYSTEM_SERVER,
          '{workspace}',
        ],
      }
    : { command: process.execPath, args: [FILESYSTEM_SERVER, '{workspace}'] };
  const config = JSON.parse(readFileSync(join(temp.home, 'config.json'), 'utf8')) as Record<string, unknown>;
  config.mcp = { servers: { fs: filesystem } };
  const { writeFileSync, mkdirSync } = await import('node:fs');
  writeFileSync(join(temp.home, 'config.json'), JSON.stringify(config));
  const daemon = await startDaemon(temp.env);
  setup = { llm, temp, daemon, marker };
  const workspace = join(temp.home, 'work');
  mkdirSync(workspace);
  const created = await runAz(
    ['task', 'create', PROMPT, '--workspace', workspace, '--max-attempts', '1', '--json'],
    { env: temp.env },
  );
  expect(created.code, created.stderr).toBe(0);
  const taskId = (JSON.parse(created.stdout) as { task: { id: string } }).task.id;
  return { ...setup, taskId, workspace };
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 25));
  }
}

async function kill(daemon: Daemon): Promise<void> {
  process.kill(daemon.pid, 'SIGKILL');
  await daemon.stop('SIGKILL');
}

async function task(env: TempHome['env'], taskId: string) {
  const shown = await runAz(['task', 'show', taskId, '--json'], { env });
  return (
    JSON.parse(shown.stdout) as {
      task: { status: string; cost_micro_usd: number; unknown_cost_calls: number; result: string | null };
    }
  ).task;
}

const notes = (workspace: string): string => readFileSync(join(workspace, 'notes.txt'), 'utf8');
const edits = (workspace: string): number => notes(workspace).split('edited once').length - 1;
const requestsForTurn = (llm: ScriptedLlmServer, turn: number): number =>
  llm.requests.filter(request => request.turn === turn).length;

describe('crash and resume', () => {
  it('killed during a model call: resume asks again and finishes, earlier steps replayed', async () => {
    const run = await start({ holdTurn: 1 });
    await run.llm.waitForRequest(request => request.held);
    await kill(run.daemon);
    const resumed = await runAz(['task', 'resume', run.taskId], { env: run.temp.env });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resumed after step 1/);
    expect(edits(run.workspace)).toBe(1);
    expect(requestsForTurn(run.llm, 0)).toBe(1);
    const final = await task(run.temp.env, run.taskId);
    expect(final).toMatchObject({ status: 'COMPLETED', cost_micro_usd: FULL_COST, unknown_cost_calls: 1 });
  });

  it('killed between an idempotent tool call and its result: resume runs it again and finishes', async () => {
    const run = await start({ proxy: { tool: 'write_file', mode: 'after' } });
    await waitFor(() => existsSync(run.marker), 'the held write_file');
    await kill(run.daemon);
    const resumed = await runAz(['task', 'resume', run.taskId], { env: run.temp.env });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(notes(run.workspace)).toBe('first line\nedited once\n// end\n');
    expect(requestsForTurn(run.llm, 0)).toBe(1);
    expect(await task(run.temp.env, run.taskId)).toMatchObject({
      status: 'COMPLETED',
      cost_micro_usd: FULL_COST,
      unknown_cost_calls: 0,
    });
  });

  it('killed after a non-idempotent call took effect but before its result: stops for attention, then --assume-done finishes without repeating it', async () => {
    const run = await start({ proxy: { tool: 'edit_file', mode: 'after' } });
    await waitFor(() => existsSync(run.marker), 'the held edit_file');
    await kill(run.daemon);
    const stopped = await runAz(['task', 'resume', run.taskId], { env: run.temp.env });
    expect(stopped.code).toBe(10);
    expect(stopped.stderr).toMatch(/fs__edit_file .*not idempotent.*cannot tell whether it took effect/s);
    expect(stopped.stderr).toMatch(/--assume-done/);
    expect((await task(run.temp.env, run.taskId)).status).toBe('FAILED');
    const resumed = await runAz(['task', 'resume', run.taskId, '--assume-done'], { env: run.temp.env });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(edits(run.workspace)).toBe(1);
    expect(requestsForTurn(run.llm, 1)).toBe(1);
    expect(await task(run.temp.env, run.taskId)).toMatchObject({
      status: 'COMPLETED',
      cost_micro_usd: FULL_COST,
      unknown_cost_calls: 0,
    });
  });

  it('killed after a non-idempotent intent but before the call ran: --rerun performs it exactly once', async () => {
    const run = await start({ proxy: { tool: 'edit_file', mode: 'before' } });
    await waitFor(() => existsSync(run.marker), 'the held edit_file');
    await kill(run.daemon);
    expect(edits(run.workspace)).toBe(0);
    const resumed = await runAz(['task', 'resume', run.taskId, '--rerun'], { env: run.temp.env });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(edits(run.workspace)).toBe(1);
    expect(await task(run.temp.env, run.taskId)).toMatchObject({
      status: 'COMPLETED',
      cost_micro_usd: FULL_COST,
      unknown_cost_calls: 0,
    });
  });

  it('killed after a non-idempotent result was recorded: resume replays it and never runs it again', async () => {
    const run = await start({ holdTurn: 2 });
    await run.llm.waitForRequest(request => request.held);
    await kill(run.daemon);
    expect(edits(run.workspace)).toBe(1);
    const resumed = await runAz(['task', 'resume', run.taskId], { env: run.temp.env });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(edits(run.workspace)).toBe(1);
    expect(requestsForTurn(run.llm, 1)).toBe(1);
    expect(await task(run.temp.env, run.taskId)).toMatchObject({
      status: 'COMPLETED',
      cost_micro_usd: FULL_COST,
      unknown_cost_calls: 1,
    });
  });
});
