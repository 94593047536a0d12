/**
 * `az dashboard` end to end while the agent works: the built CLI in a real terminal (tmux), a real `az serve`
 * whose agent runs tasks on the scripted LLM server (a real OpenAI-compatible HTTP server), AZ-OS's own file
 * tools doing the work. The screen must follow a task through its model turns and tool calls, show the
 * cost the ledger recorded, and retry a task that failed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AzClient } from '../../protocol/client.js';
import { createTaskTool, getTaskTool } from '../../protocol/tools/task-tools.js';
import type { Scenario } from '../fixtures/scripted-llm/scenario.js';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../fixtures/scripted-llm/server.js';
import { createAgentHome } from '../helpers/agent-home.js';
import { scenarioCost, usage } from '../helpers/dashboard-agent.js';
import { connectHttp } from '../helpers/http-client.js';
import { AZ_BIN, startDaemon, type Daemon } from '../helpers/processes.js';
import type { TempHome } from '../helpers/temp-home.js';
import { openTerminal, type Terminal } from '../helpers/tmux.js';

const GREETING: Scenario = {
  name: 'greeting',
  match: 'write a greeting to hello.txt',
  turns: [
    {
      content: 'Writing hello.txt.',
      tool_calls: [{ name: 'azos__write_file', arguments: { path: 'hello.txt', content: 'hello, world\n' } }],
      usage: usage(900, 60),
    },
    // Held: the test sees the task RUNNING, mid-way, before it lets the model answer.
    { content: 'hello.txt holds the greeting.', usage: usage(1100, 30), hold: true },
  ],
};

// The model provider refuses the first request (a 400 is not retried by the gateway): the task fails; a retry
// from the dashboard succeeds because the fault is only on the first attempt.
const FLAKY: Scenario = {
  name: 'flaky',
  match: 'summarise the release',
  turns: [{ content: 'Release 1.2 fixes two crashes.', usage: usage(500, 25), faults: [{ type: '400' }] }],
};

const dashboard = (home: string) => `cd '${home}' && '${process.execPath}' '${AZ_BIN}' dashboard`;

describe('az dashboard in a terminal (tmux) while the agent runs tasks on the scripted LLM', () => {
  let llm: ScriptedLlmServer;
  let temp: TempHome;
  let daemon: Daemon;
  let client: AzClient;
  let terminal: Terminal | undefined;

  beforeEach(async () => {
    llm = await startScriptedLlmServer({ scenarios: [GREETING, FLAKY] });
    temp = createAgentHome({ llmUrl: llm.url, filesystem: false, config: { tasks: { max_attempts: 1 } } });
    daemon = await startDaemon(temp.env);
    client = await connectHttp(daemon.url, daemon.token, 'modern');
  });

  afterEach(async () => {
    terminal?.close();
    terminal = undefined;
    llm.releaseHolds();
    await client.close();
    await daemon.stop();
    await llm.close();
    temp.cleanup();
  });

  it('follows a task through its model turns and tool calls to COMPLETED, with its cost', async () => {
    terminal = openTerminal(dashboard(temp.home), { env: temp.env, columns: 120, rows: 40 });
    await terminal.waitFor('no tasks yet: press n to create one');
    const { task } = await client.call(createTaskTool, { prompt: 'write a greeting to hello.txt' });

    // Live while the second model call is held: RUNNING in the table, the step log in the detail view.
    await llm.waitForRequest(request => request.held, 15_000);
    await terminal.waitFor(/● RUNNING\s+\S+\s+write a greeting to hello\.txt/);
    terminal.press('Enter');
    let screen = await terminal.waitFor(/ 2 model\s+asking gpt-4o-mini…/);
    expect(screen).toMatch(/ 1 model\s+gpt-4o-mini → azos__write_file · 900 in \/ 60 out/);
    expect(screen).toMatch(/ 1 tool\s+azos__write_file \{"path":"hello\.txt","content":"hello, world\\n"\}/);
    expect(screen).toMatch(/ 1 result\s+azos__write_file ok/);
    expect(screen).toContain('following');

    // The model answers: the same screen shows the end of the task and what it cost.
    llm.releaseHolds();
    screen = await terminal.waitFor(/RUNNING → COMPLETED/, 15_000);
    expect(screen).toMatch(/ 2 model\s+gpt-4o-mini answered · 1,100 in \/ 30 out/);
    expect(screen).toContain('result hello.txt holds the greeting.');
    const workspace = (await client.call(getTaskTool, { task_id: task.id })).task.workspace;
    expect(readFileSync(join(workspace, 'hello.txt'), 'utf8')).toBe('hello, world\n');

    // Back in the table: steps and the exact cost the server recorded.
    const expected = scenarioCost(GREETING.turns);
    const { task: done } = await client.call(getTaskTool, { task_id: task.id });
    expect(done.cost_micro_usd).toBe(expected);
    const dollars = `$${(expected / 1e6).toFixed(6)}`;
    terminal.press('Escape');
    screen = await terminal.waitFor(
      new RegExp(`✓ COMPLETED\\s+\\S+\\s+write a greeting to hello\\.txt.*${dollars.replace('$', '\\$')}`),
    );

    // The system panel counts it.
    terminal.type('3');
    screen = await terminal.waitFor(/running 0 · queued 0 · total 1 · completed 1 · failed 0/);
    expect(screen).toMatch(/throughput [\d.]+\/min/);
    terminal.type('q');
    await terminal.waitFor('[exited 0]');
  });

  it('shows a task that failed on the provider error, and retries it with r to COMPLETED', async () => {
    const { task } = await client.call(createTaskTool, { prompt: 'summarise the release' });
    terminal = openTerminal(dashboard(temp.home), { env: temp.env, columns: 120, rows: 40 });
    await terminal.waitFor(/✗ FAILED\s+\S+\s+summarise the release/, 15_000);
    terminal.press('Enter');
    let screen = await terminal.waitFor(/RUNNING → FAILED/);
    expect(screen).toMatch(/400/);

    // r resumes a FAILED task (resume_task; no call of it was left unfinished, so no question is asked).
    terminal.type('r');
    await terminal.waitFor(/→ COMPLETED/, 15_000);
    // The detail view reads the task and its log in two calls; when they straddle the completing commit, the
    // frame shows the COMPLETED event a refresh (50 ms) before the task's result — the next frame has both.
    screen = await terminal.waitFor('result Release 1.2 fixes two crashes.');
    expect(screen).toMatch(/✓ COMPLETED summarise the release/);
    const { task: after } = await client.call(getTaskTool, { task_id: task.id });
    expect(after.status).toBe('COMPLETED');
    expect(after.result).toBe('Release 1.2 fixes two crashes.');
    expect(existsSync(join(temp.home, 'server.json'))).toBe(true);
  });
});
