/** Lifecycle hooks at their points in a run, and a daemon working with tasks other processes write and cancel. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Task } from '../../../protocol/task.js';
import { resumeTaskTool, runTaskTool } from '../../../protocol/tools/agent-tools.js';
import { setBudgetTool } from '../../../protocol/tools/cost-tools.js';
import {
  cancelTaskTool,
  createTaskTool,
  getTaskLogTool,
  getTaskTool,
} from '../../../protocol/tools/task-tools.js';
import { getStatusTool } from '../../../protocol/tools/system-tools.js';
import { RESOURCE_URIS } from '../../../protocol/resources.js';
import type { Service } from '../../../server/services.js';
import type { StepInfo } from '../../../server/tasks/task-hooks.js';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../../fixtures/scripted-llm/server.js';
import { createAgentHome } from '../../helpers/agent-home.js';
import { openAgentRuntime, type AgentRuntimeHandle } from '../../helpers/agent-runtime.js';
import { connectInProcess } from '../../helpers/in-process.js';
import { runAz, startDaemon, type Daemon } from '../../helpers/processes.js';
import type { TempHome } from '../../helpers/temp-home.js';

let llm: ScriptedLlmServer | undefined;
let temp: TempHome | undefined;
let handle: AgentRuntimeHandle | undefined;
let daemon: Daemon | undefined;

afterEach(async () => {
  await handle?.close();
  await daemon?.stop();
  await llm?.close();
  temp?.cleanup();
  handle = undefined;
  daemon = undefined;
  llm = undefined;
  temp = undefined;
});

describe('task lifecycle hooks', () => {
  it('gets context before the first step (ids journaled), hears every step, completion and resume', async () => {
    const calls: string[] = [];
    const steps: StepInfo[] = [];
    const hooks: Service = ({ core }) => {
      core.taskHooks.push({
        name: 'recorder',
        async beforeFirstStep(task: Task) {
          calls.push(`context ${task.id}`);
          return { text: 'Remember: primes have two divisors.', ids: ['memory-1', 'memory-2'] };
        },
        async afterStep(_task: Task, step: StepInfo) {
          steps.push(step);
        },
        async beforeResume(_task: Task, lastStep: number) {
          calls.push(`resume after ${lastStep}`);
        },
        async onCompleted() {
          calls.push('completed');
        },
        async onSettled(task: Task) {
          calls.push(`settled ${task.status}`);
        },
      });
    };
    llm = await startScriptedLlmServer({
      scenarios: [
        {
          name: 'hooked',
          match: 'hooked',
          turns: [
            {
              tool_calls: [{ name: 'azos__test_sleep', arguments: { ms: 1 } }],
              usage: { prompt_tokens: 1000, completion_tokens: 100 },
            },
            { content: 'done', usage: { prompt_tokens: 1000, completion_tokens: 100 } },
          ],
        },
      ],
    });
    temp = createAgentHome({ llmUrl: llm.url, filesystem: false });
    handle = await openAgentRuntime(temp.env, { services: [hooks] });
    const { task } = await handle.client.call(runTaskTool, {
      prompt: 'hooked',
      budget_usd: 0.0001,
      timeout_seconds: 30,
    });
    expect(task.error?.code).toBe('BUDGET_EXCEEDED');
    expect(llm.requests[0]?.prompt).toBe('hooked');
    const log = await handle.client.call(getTaskLogTool, { task_id: task.id });
    expect(log.events.find(event => event.type === 'agent.context')?.data).toMatchObject({
      ids: ['memory-1', 'memory-2'],
    });
    const journaled = handle.runtime.core.db
      .prepare("SELECT outcome FROM agent_journal WHERE task_id = ? AND kind = 'context'")
      .get(task.id) as { outcome: string };
    expect(JSON.parse(journaled.outcome)).toMatchObject({
      ids: ['memory-1', 'memory-2'],
      sources: ['recorder'],
    });

    await handle.client.call(setBudgetTool, { scope: 'task', task_id: task.id, limit_usd: null });
    await handle.client.call(resumeTaskTool, { task_id: task.id });
    await expect
      .poll(async () => (await handle?.client.call(getTaskTool, { task_id: task.id }))?.task.status, {
        timeout: 10_000,
      })
      .toBe('COMPLETED');
    // Settled hooks run right after the status change.
    await expect.poll(() => calls.length).toBe(4);
    expect(calls).toEqual([`context ${task.id}`, 'settled FAILED', 'resume after 1', 'completed']);
    expect(steps.map(step => [step.index, step.toolCalls])).toEqual([
      [1, ['azos__test_sleep']],
      [2, []],
    ]);
    // The sleep ran once: its result was journaled before the budget stop, so resume replayed it.
    const toolRows = handle.runtime.core.db
      .prepare("SELECT state FROM agent_journal WHERE task_id = ? AND kind = 'tool'")
      .all(task.id) as { state: string }[];
    expect(toolRows).toEqual([{ state: 'done' }]);
    expect(llm.requests.map(request => request.turn)).toEqual([0, 1]);
  });
});

describe('a daemon and other processes', () => {
  it('picks up a task another process queued, and stops it within a second when another process cancels it', async () => {
    llm = await startScriptedLlmServer({
      scenarios: [{ name: 'held', match: 'held elsewhere', turns: [{ content: 'never', hold: true }] }],
    });
    temp = createAgentHome({ llmUrl: llm.url, filesystem: false });
    daemon = await startDaemon(temp.env);
    // Another process, with its own runtime on the same home (not through the daemon).
    const other = await connectInProcess(temp.env);
    try {
      const { task } = await other.call(createTaskTool, { prompt: 'held elsewhere' });
      await llm.waitForRequest(request => request.held, 10_000);
      const started = Date.now();
      const cancelled = await other.call(cancelTaskTool, { task_id: task.id });
      expect(cancelled.task.status).toBe('CANCELLED');
      await expect
        .poll(async () => (await other.call(getTaskTool, { task_id: task.id })).task.status, {
          timeout: 1000,
          interval: 25,
        })
        .toBe('FINALIZED');
      expect(Date.now() - started).toBeLessThan(1000);
      await expect.poll(() => llm?.requests[0]?.aborted).toBe(true);
      const status = await other.call(getStatusTool, {});
      expect(status.components.executor?.detail).toMatch(/tasks run in the server at http/);
      expect(status.components.llm).toMatchObject({ status: 'ok' });
      const cost = await other.readResource(RESOURCE_URIS.cost);
      const text = (cost.contents[0] as { text: string }).text;
      expect(JSON.parse(text)).toMatchObject({
        total: { calls: 1, unknown_cost_calls: 1 },
        in_flight: { calls: 0 },
      });
    } finally {
      await other.close();
    }
  });

  it('gives a running task back when the server is stopped, and the next server finishes it from its journal', async () => {
    llm = await startScriptedLlmServer({
      scenarios: [
        {
          name: 'restart',
          match: 'survive a restart',
          turns: [
            {
              tool_calls: [{ name: 'azos__nothing_here', arguments: {} }],
              usage: { prompt_tokens: 1000, completion_tokens: 100 },
            },
            {
              content: 'finished after the restart',
              hold: true,
              usage: { prompt_tokens: 1000, completion_tokens: 100 },
            },
          ],
        },
      ],
    });
    temp = createAgentHome({ llmUrl: llm.url, filesystem: false });
    daemon = await startDaemon(temp.env);
    const created = await runAz(['task', 'create', 'survive a restart', '--json'], { env: temp.env });
    const id = (JSON.parse(created.stdout) as { task: { id: string } }).task.id;
    await llm.waitForRequest(request => request.held, 10_000);
    expect(await daemon.stop('SIGTERM')).toBe(0);
    const stopped = JSON.parse((await runAz(['task', 'show', id, '--json'], { env: temp.env })).stdout).task;
    expect(stopped).toMatchObject({ status: 'PENDING', attempts: 0, steps: 1 });
    daemon = await startDaemon(temp.env);
    const waited = await runAz(['task', 'wait', id, '--json', '--timeout', '20'], { env: temp.env });
    // 2 answered calls of 210 µ$; the one cut off by the shutdown may have been billed: unknown.
    expect(JSON.parse(waited.stdout).task).toMatchObject({
      status: 'COMPLETED',
      result: 'finished after the restart',
      cost_micro_usd: 420,
      unknown_cost_calls: 1,
    });
    expect(llm.requests.filter(request => request.turn === 0)).toHaveLength(1);
  });

  it('az task run --detach queues the task for the running server and prints its id', async () => {
    llm = await startScriptedLlmServer({
      scenarios: [{ name: 'bg', match: 'in the background', turns: [{ content: 'background result' }] }],
    });
    temp = createAgentHome({ llmUrl: llm.url, filesystem: false });
    daemon = await startDaemon(temp.env);
    const workspace = join(temp.home, 'w');
    mkdirSync(workspace);
    const detached = await runAz(['task', 'run', 'in the background', '--detach', '--workspace', workspace], {
      env: temp.env,
    });
    expect(detached.code, detached.stderr).toBe(0);
    const id = detached.stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const waited = await runAz(['task', 'wait', id, '--json'], { env: temp.env });
    expect(JSON.parse(waited.stdout).task).toMatchObject({
      status: 'COMPLETED',
      result: 'background result',
    });
  });

  it('reports an unreachable LLM in get_status with the keys to set', async () => {
    temp = createAgentHome({ llmUrl: 'http://127.0.0.1:9/v1', filesystem: false });
    const client = await connectInProcess(temp.env);
    try {
      const status = await client.call(getStatusTool, {});
      expect(status.components.llm).toMatchObject({ status: 'unavailable' });
      expect(status.components.llm?.detail).toMatch(
        /no LLM reachable at http:\/\/127\.0\.0\.1:9\/v1.*llm\.provider/,
      );
    } finally {
      await client.close();
    }
  });
});
