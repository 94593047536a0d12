/** The executor as a daemon runs it: priority then FIFO, many queued tasks, retries, and recovery of dead owners. */
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTaskTool,
  getTaskLogTool,
  listTasksTool,
  waitTaskTool,
} from '../../../protocol/tools/task-tools.js';
import { getStatusTool, setConfigTool } from '../../../protocol/tools/system-tools.js';
import type { Scenario } from '../../fixtures/scripted-llm/scenario.js';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../../fixtures/scripted-llm/server.js';
import { createAgentHome } from '../../helpers/agent-home.js';
import { openAgentRuntime, type AgentRuntimeHandle } from '../../helpers/agent-runtime.js';
import type { TempHome } from '../../helpers/temp-home.js';

let llm: ScriptedLlmServer | undefined;
let temp: TempHome | undefined;
let handle: AgentRuntimeHandle | undefined;

afterEach(async () => {
  await handle?.close();
  await llm?.close();
  temp?.cleanup();
  handle = undefined;
  llm = undefined;
  temp = undefined;
});

async function home(scenarios: Scenario[], config: Record<string, unknown> = {}) {
  llm = await startScriptedLlmServer({ scenarios });
  temp = createAgentHome({ llmUrl: llm.url, filesystem: false, config });
  return { llm, env: temp.env };
}

describe('the executor', () => {
  it('runs higher priority first, then in the order tasks were queued', async () => {
    const { llm, env } = await home(
      [{ name: 'any', match: '*', turns: [{ content: 'ok', latency_ms: 20 }] }],
      { tasks: { concurrency: 1 } },
    );
    // Queue everything before the executor starts, so the order is the queue's and not the clock's.
    const queueing = await openAgentRuntime(env);
    for (const [prompt, priority] of [
      ['low a', 1],
      ['high a', 9],
      ['low b', 1],
      ['mid', 5],
      ['high b', 9],
    ] as const) {
      await queueing.client.call(createTaskTool, { prompt, priority });
    }
    await queueing.close();
    handle = await openAgentRuntime(env, { runTasks: true });
    await expect.poll(() => llm.requests.length, { timeout: 10_000 }).toBe(5);
    expect(llm.requests.map(request => request.prompt)).toEqual([
      'high a',
      'high b',
      'mid',
      'low a',
      'low b',
    ]);
  });

  it('works through hundreds of queued tasks at the configured concurrency', async () => {
    const { llm, env } = await home(
      [{ name: 'any', match: '*', turns: [{ content: 'ok', latency_ms: 5 }] }],
      { tasks: { concurrency: 16 } },
    );
    handle = await openAgentRuntime(env, { runTasks: true });
    for (let index = 0; index < 300; index += 1)
      await handle.client.call(createTaskTool, { prompt: `task ${index}` });
    await expect
      .poll(
        async () =>
          (await handle?.client.call(listTasksTool, { status: ['COMPLETED'], limit: 200 }))?.tasks.length,
        { timeout: 60_000 },
      )
      .toBe(200);
    await expect.poll(() => llm.requests.length, { timeout: 60_000 }).toBe(300);
    const status = await handle.client.call(getStatusTool, {});
    await expect
      .poll(async () => (await handle?.client.call(getStatusTool, {}))?.tasks.by_status.COMPLETED, {
        timeout: 10_000,
      })
      .toBe(300);
    expect(status.components.executor?.status).toBe('ok');
  });

  it('holds the queue while tasks.paused is set, and takes the next task as soon as it is unpaused', async () => {
    const { llm, env } = await home([{ name: 'any', match: '*', turns: [{ content: 'ok' }] }], {
      tasks: { paused: true },
    });
    handle = await openAgentRuntime(env, { runTasks: true });
    const { task } = await handle.client.call(createTaskTool, { prompt: 'wait for me' });
    // Past the queue's first poll (once a second from its start): a paused queue claims nothing.
    await new Promise(done => setTimeout(done, 1_200));
    expect(llm.requests).toHaveLength(0);
    expect((await handle.client.call(listTasksTool, {})).tasks[0]?.status).toBe('PENDING');
    const unpaused = Date.now();
    await handle.client.call(setConfigTool, { key: 'tasks.paused', value: false });
    const done = await handle.client.call(waitTaskTool, { task_id: task.id, timeout_seconds: 10 });
    expect(done.task.status).toBe('COMPLETED');
    expect(llm.requests).toHaveLength(1);
    // Claimed because the change woke the queue, not found by its next poll (most of a second later).
    const log = await handle.client.call(getTaskLogTool, { task_id: task.id });
    const claimed = log.events.find(event => event.to_status === 'RUNNING');
    expect(Date.parse(claimed?.created_at ?? '') - unpaused).toBeLessThan(500);
  });

  it('retries a task after a transient model failure, resuming from its journal', async () => {
    const { llm, env } = await home(
      [
        {
          name: 'flaky',
          match: 'flaky',
          turns: [
            { tool_calls: [{ name: 'azos__test_sleep', arguments: { ms: 1 } }] },
            { content: 'recovered', faults: [{ type: '500', times: 3 }] },
          ],
        },
      ],
      { llm: { max_retries: 2 } },
    );
    handle = await openAgentRuntime(env, { runTasks: true });
    const { task } = await handle.client.call(createTaskTool, { prompt: 'flaky', max_attempts: 2 });
    const { task: done } = await handle.client.call(waitTaskTool, { task_id: task.id, timeout_seconds: 30 });
    expect(done).toMatchObject({ status: 'COMPLETED', result: 'recovered', attempts: 2 });
    expect(llm.requests.filter(request => request.turn === 0)).toHaveLength(1);
    const statuses = (await handle.client.call(getTaskLogTool, { task_id: task.id })).events
      .map(event => event.to_status)
      .filter(Boolean);
    expect(statuses).toEqual([
      'INITIALIZED',
      'PENDING',
      'RUNNING',
      'FAILED',
      'RETRYING',
      'RUNNING',
      'COMPLETED',
    ]);
  });

  it('recovers a task whose owner process died and finishes it', async () => {
    const { env } = await home([
      { name: 'orphan', match: 'orphan', turns: [{ content: 'finished after recovery' }] },
    ]);
    const queueing = await openAgentRuntime(env);
    const { task } = await queueing.client.call(createTaskTool, { prompt: 'orphan' });
    // As if a process had claimed it and then been killed: pid 2^22+1 cannot exist on Linux.
    queueing.runtime.core.db
      .prepare(
        "UPDATE tasks SET status = 'RUNNING', attempts = 1, lease_owner = ?, lease_expires_at = ? WHERE id = ?",
      )
      .run(`${hostname()}:4194305:dead`, Date.now() + 60_000, task.id);
    await queueing.close();
    handle = await openAgentRuntime(env, { runTasks: true });
    const { task: done } = await handle.client.call(waitTaskTool, { task_id: task.id, timeout_seconds: 30 });
    expect(done).toMatchObject({ status: 'COMPLETED', result: 'finished after recovery', attempts: 2 });
    const events = (await handle.client.call(getTaskLogTool, { task_id: task.id })).events;
    expect(events.find(event => event.to_status === 'FAILED')?.data).toMatchObject({
      reason: 'interrupted',
      owner: `${hostname()}:4194305:dead`,
    });
  });
});
