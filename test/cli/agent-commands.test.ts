/** The agent's CLI commands, run as a user runs them: the built `az` binary in a temp home. */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadScenarios, type Scenario } from '../fixtures/scripted-llm/scenario.js';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../fixtures/scripted-llm/server.js';
import { createAgentHome, FILESYSTEM_SERVER, SCENARIOS_DIR } from '../helpers/agent-home.js';
import { AZ_BIN, runAz } from '../helpers/processes.js';
import type { TempHome } from '../helpers/temp-home.js';

let llm: ScriptedLlmServer | undefined;
let temp: TempHome | undefined;

afterEach(async () => {
  await llm?.close();
  temp?.cleanup();
  llm = undefined;
  temp = undefined;
});

async function home(
  scenarios: Scenario[],
  options: { filesystem?: boolean; config?: Record<string, unknown> } = {},
) {
  llm = await startScriptedLlmServer({ scenarios });
  temp = createAgentHome({
    llmUrl: llm.url,
    filesystem: options.filesystem ?? false,
    config: options.config,
  });
  const workspace = join(temp.home, 'work');
  mkdirSync(workspace);
  return { llm, env: temp.env, workspace, home: temp.home };
}

describe('az task run', () => {
  it('runs the isPrime task in the foreground, streaming steps, tool calls and cost, and prints the result', async () => {
    const { env, workspace } = await home(loadScenarios([join(SCENARIOS_DIR, 'is-prime.json')]), {
      filesystem: true,
    });
    const result = await runAz(
      ['task', 'run', 'create function isPrime in TypeScript', '--workspace', workspace],
      { env },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(
      'Created isPrime.ts: isPrime(n) returns true for primes, false otherwise.',
    );
    expect(result.stderr).toMatch(
      /step 1: gpt-4o-mini wants fs__write_file \(1200 in \/ 80 out, \$0\.000228\)/,
    );
    expect(result.stderr).toMatch(/step 1: fs__write_file ok: Successfully wrote/);
    expect(result.stderr).toMatch(/COMPLETED after 3 steps, cost \$0\.000541/);
    expect(readFileSync(join(workspace, 'isPrime.ts'), 'utf8')).toContain('export function isPrime');

    const cost = await runAz(['cost', 'show', '--by', 'task', '--json'], { env });
    expect(JSON.parse(cost.stdout)).toMatchObject({
      group_by: 'task',
      total: { calls: 3, cost_micro_usd: 541, unknown_cost_calls: 0 },
    });
    const table = await runAz(['cost', 'show'], { env });
    expect(table.stdout).toMatch(/gpt-4o-mini\s+3\s+4200\s+2304\s+140\s+\$0\.000541/);
  });

  it('exits with the error code of a failed task (8 for a budget stop) and says how to continue', async () => {
    const turn = {
      tool_calls: [{ name: 'azos__nothing', arguments: {} }],
      usage: { prompt_tokens: 1000, completion_tokens: 100 },
    };
    const { env, workspace } = await home([
      { name: 'costly', match: 'costly', turns: [turn, turn, { content: 'x' }] },
    ]);
    const result = await runAz(
      ['task', 'run', 'costly', '--workspace', workspace, '--budget', '0.0001', '--max-attempts', '1'],
      { env },
    );
    expect(result.code).toBe(8);
    expect(result.stderr).toMatch(/error BUDGET_EXCEEDED: the task budget of \$0\.000100 is used up/);
    expect(result.stderr).toMatch(/hint: Raise it with `az cost budget task .* USD`/);
  });

  it('cancels the task on Ctrl-C, waits for it to stop, and exits 130', async () => {
    const { env, workspace, llm } = await home([
      { name: 'hold', match: 'hold on', turns: [{ content: 'never', hold: true }] },
    ]);
    const child = spawn(process.execPath, [AZ_BIN, 'task', 'run', 'hold on', '--workspace', workspace], {
      env: env as NodeJS.ProcessEnv,
    });
    let stderr = '';
    child.stderr.on('data', chunk => (stderr += chunk));
    const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
    await llm.waitForRequest(request => request.held);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/cancelling…/);
    const id = /task ([0-9a-f-]{36})/.exec(stderr)?.[1] as string;
    const shown = await runAz(['task', 'show', id, '--json'], { env });
    expect(JSON.parse(shown.stdout).task.status).toBe('FINALIZED');
    expect(llm.requests[0]?.aborted).toBe(true);
  });
});

describe('az cost budget', () => {
  it('sets, shows and removes budgets, and refuses nonsense amounts', async () => {
    const { env } = await home([]);
    expect((await runAz(['cost', 'budget', 'day', '5'], { env })).code).toBe(0);
    await runAz(['cost', 'budget', 'total', '$100'], { env });
    const shown = JSON.parse((await runAz(['cost', 'budget', '--json'], { env })).stdout) as {
      budgets: { scope: string; limit_micro_usd: number | null }[];
    };
    expect(shown.budgets.map(budget => [budget.scope, budget.limit_micro_usd])).toEqual([
      ['day', 5_000_000],
      ['total', 100_000_000],
    ]);
    await runAz(['cost', 'budget', 'total', 'none'], { env });
    expect((await runAz(['cost', 'budget'], { env })).stdout).toMatch(/total\s+none/);
    const bad = await runAz(['cost', 'budget', 'day', 'lots'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/'lots' is not an amount of US dollars/);
    expect((await runAz(['cost', 'show', '--by', 'week'], { env })).code).toBe(2);
  });
});

describe('az mcp', () => {
  it('adds, lists and removes external servers without showing secrets; az mcp alone still serves stdio', async () => {
    const { env } = await home([]);
    const added = await runAz(['mcp', 'add', 'fs', '--', process.execPath, FILESYSTEM_SERVER], { env });
    expect(added.code, added.stderr).toBe(0);
    expect(added.stderr).toMatch(/14 tools: fs__read_file/);
    await runAz(
      [
        'mcp',
        'add',
        'remote',
        '--url',
        'http://127.0.0.1:9/mcp',
        '--header',
        'Authorization: Bearer s3cret',
        '--no-check',
      ],
      { env },
    );
    const listed = await runAz(['mcp', 'list', '--json'], { env });
    expect(listed.stdout).not.toContain('s3cret');
    expect(JSON.parse(listed.stdout).servers).toEqual([
      expect.objectContaining({ name: 'fs', transport: 'stdio', command: process.execPath }),
      { name: 'remote', transport: 'http', url: 'http://127.0.0.1:9/mcp', header_names: ['Authorization'] },
    ]);
    expect((await runAz(['config', 'get', 'mcp.servers'], { env })).stdout).not.toContain('s3cret');
    const reserved = await runAz(['mcp', 'add', 'azos', '--', 'x'], { env });
    expect(reserved.code).toBe(2);
    expect(reserved.stderr).toMatch(/'azos' is reserved/);
    expect((await runAz(['mcp', 'remove', 'remote'], { env })).stdout).toMatch(/removed remote/);
    expect((await runAz(['mcp', 'remove', 'remote'], { env })).code).toBe(3);

    const { Client } = await import('@modelcontextprotocol/client');
    const { StdioClientTransport } = await import('@modelcontextprotocol/client/stdio');
    const client = new Client({ name: 'stdio-test', version: '1' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [AZ_BIN, 'mcp'],
        env: env as Record<string, string>,
      }),
    );
    const names = (await client.listTools()).tools.map(tool => tool.name);
    await client.close();
    expect(names).toEqual(expect.arrayContaining(['create_task', 'run_task', 'resume_task', 'wait_task']));
  });
});

describe('tasks queued without a server', () => {
  it('starts a server on demand for a task queued over stdio (as Agent Zero does), which runs it', async () => {
    const {
      env,
      home: homeDir,
      workspace,
    } = await home([{ name: 'quick', match: 'quick job', turns: [{ content: 'done quickly' }] }], {
      config: { tasks: { autostart_daemon: true } },
    });
    const withAutostart = Object.fromEntries(
      Object.entries(env).filter(
        ([key, value]) => key !== 'AZ_TASKS_AUTOSTART_DAEMON' && value !== undefined,
      ),
    ) as Record<string, string>;
    const { Client } = await import('@modelcontextprotocol/client');
    const { StdioClientTransport } = await import('@modelcontextprotocol/client/stdio');
    const client = new Client({ name: 'agent-zero-like', version: '1' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [AZ_BIN, 'mcp'],
        env: withAutostart,
      }),
    );
    let pid: number | undefined;
    try {
      const result = await client.callTool({
        name: 'run_task',
        arguments: { prompt: 'quick job', workspace, timeout_seconds: 30 },
      });
      const { task, done } = result.structuredContent as {
        task: { status: string; result: string };
        done: boolean;
      };
      expect(done).toBe(true);
      expect(task).toMatchObject({ status: 'COMPLETED', result: 'done quickly' });
      const info = JSON.parse(readFileSync(join(homeDir, 'server.json'), 'utf8')) as { pid: number };
      pid = info.pid;
      expect(readFileSync(join(homeDir, 'logs/server.log'), 'utf8')).toMatch(
        /listening on http:\/\/127\.0\.0\.1:\d+\/mcp/,
      );
    } finally {
      await client.close();
      if (pid) process.kill(pid, 'SIGTERM');
    }
    await expect.poll(() => existsSync(join(homeDir, 'server.json')), { timeout: 15_000 }).toBe(false);
  });
});
