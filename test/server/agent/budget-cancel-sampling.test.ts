/** Budgets stopping tasks, cancellation reaching model calls and tools, and sampling for external servers. */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AzClient } from '../../../protocol/client.js';
import { resumeTaskTool, runTaskTool } from '../../../protocol/tools/agent-tools.js';
import { costSummaryTool, getBudgetTool, setBudgetTool } from '../../../protocol/tools/cost-tools.js';
import {
  cancelTaskTool,
  createTaskTool,
  getTaskLogTool,
  getTaskTool,
  waitTaskTool,
} from '../../../protocol/tools/task-tools.js';
import type { Scenario } from '../../fixtures/scripted-llm/scenario.js';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../../fixtures/scripted-llm/server.js';
import { createAgentHome } from '../../helpers/agent-home.js';
import { openAgentRuntime, type AgentRuntimeHandle } from '../../helpers/agent-runtime.js';
import { REPO_ROOT } from '../../helpers/processes.js';
import type { TempHome } from '../../helpers/temp-home.js';

const SAMPLING_SERVER = join(REPO_ROOT, 'dist/test/fixtures/sampling-mcp-server.js');

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

/** Creates the task, waits until its tool runs, cancels it and expects FINALIZED within a second. */
async function cancelDuringTool(client: AzClient, prompt: string): Promise<void> {
  const { task } = await client.call(createTaskTool, { prompt });
  await expect
    .poll(
      async () =>
        (await client.call(getTaskLogTool, { task_id: task.id })).events.some(
          event => event.type === 'tool.started',
        ),
      { timeout: 10_000 },
    )
    .toBe(true);
  const started = Date.now();
  await client.call(cancelTaskTool, { task_id: task.id });
  await expect
    .poll(async () => (await client.call(getTaskTool, { task_id: task.id })).task.status, {
      timeout: 1000,
      interval: 20,
    })
    .toBe('FINALIZED');
  expect(Date.now() - started).toBeLessThan(1000);
}

async function open(scenarios: Scenario[], config: Record<string, unknown> = {}, runTasks = false) {
  llm = await startScriptedLlmServer({ scenarios });
  temp = createAgentHome({ llmUrl: llm.url, filesystem: false, config });
  handle = await openAgentRuntime(temp.env, { runTasks });
  return { llm, client: handle.client };
}

const sleepTurn = (ms: number, prompt_tokens = 1000, completion_tokens = 100) => ({
  tool_calls: [{ name: 'azos__test_sleep', arguments: { ms } }],
  usage: { prompt_tokens, completion_tokens },
});

describe('budgets', () => {
  it('stops a task at its budget with BUDGET_EXCEEDED, and resume continues once the budget is raised', async () => {
    const { client, llm } = await open([
      {
        name: 'spend',
        match: 'spend money',
        turns: [
          sleepTurn(1),
          sleepTurn(2),
          { content: 'done', usage: { prompt_tokens: 1000, completion_tokens: 100 } },
        ],
      },
    ]);
    // Each call costs 1000×0.15 + 100×0.6 = 210 µ$; a 300 µ$ budget admits the second call (210 < 300) and no third.
    const { task } = await client.call(runTaskTool, {
      prompt: 'spend money',
      budget_usd: 0.0003,
      timeout_seconds: 30,
    });
    expect(task.status).toBe('FAILED');
    expect(task.error).toMatchObject({ code: 'BUDGET_EXCEEDED' });
    expect(task.error?.hint).toMatch(/az cost budget task .* USD.*az task resume/);
    expect(task.cost_micro_usd).toBe(420);
    expect(llm.requests).toHaveLength(2);
    const { budgets } = await client.call(getBudgetTool, { task_id: task.id });
    expect(budgets[0]).toMatchObject({
      scope: 'task',
      limit_micro_usd: 300,
      spent_micro_usd: 420,
      remaining_micro_usd: 0,
    });

    await client.call(setBudgetTool, { scope: 'task', task_id: task.id, limit_usd: 1 });
    await client.call(resumeTaskTool, { task_id: task.id });
    const { task: finished } = await client.call(waitTaskTool, { task_id: task.id, timeout_seconds: 30 });
    expect(finished).toMatchObject({ status: 'COMPLETED', cost_micro_usd: 630, result: 'done' });
    expect(llm.requests.filter(request => request.turn === 0)).toHaveLength(1);
  });

  it('shares a daily budget between parallel tasks, overspending it by at most one call', async () => {
    const turns = [
      sleepTurn(200),
      sleepTurn(200),
      { content: 'done', usage: { prompt_tokens: 1000, completion_tokens: 100 } },
    ];
    const { client } = await open(
      [{ name: 'parallel', match: 'parallel spender', turns }],
      { tasks: { concurrency: 4 } },
      true,
    );
    await client.call(setBudgetTool, { scope: 'day', limit_usd: 0.0005 });
    const ids = [];
    for (let index = 0; index < 4; index += 1) {
      ids.push(
        (await client.call(createTaskTool, { prompt: `parallel spender ${index}`, max_attempts: 1 })).task.id,
      );
    }
    const tasks = [];
    for (const id of ids)
      tasks.push((await client.call(waitTaskTool, { task_id: id, timeout_seconds: 30 })).task);
    const summary = await client.call(costSummaryTool, { group_by: 'day' });
    // Each call reserves an upper bound (request bytes + 4096 output tokens) that does not fit in $0.0005, so
    // calls run one at a time once the budget is tight; spend passes the budget by at most one call (210 µ$).
    expect(tasks.some(task => task.status === 'FAILED' && task.error?.code === 'BUDGET_EXCEEDED')).toBe(true);
    expect(summary.total.cost_micro_usd).toBeGreaterThanOrEqual(500);
    expect(summary.total.cost_micro_usd).toBeLessThanOrEqual(500 + 210);
    expect(summary.total.cost_micro_usd % 210).toBe(0);
    expect(summary.in_flight.calls).toBe(0);
  });
});

describe('cancellation', () => {
  it('cancels a task during a model call within a second, aborting the HTTP request', async () => {
    const { client, llm } = await open(
      [{ name: 'hold', match: 'wait forever', turns: [{ content: 'never', hold: true }] }],
      {},
      true,
    );
    const { task } = await client.call(createTaskTool, { prompt: 'wait forever' });
    await llm.waitForRequest(request => request.held);
    const started = Date.now();
    await client.call(cancelTaskTool, { task_id: task.id, reason: 'test' });
    await expect
      .poll(async () => (await client.call(getTaskTool, { task_id: task.id })).task.status, {
        timeout: 1000,
        interval: 20,
      })
      .toBe('FINALIZED');
    expect(Date.now() - started).toBeLessThan(1000);
    await expect.poll(() => llm.requests[0]?.aborted).toBe(true);
    const final = (await client.call(getTaskTool, { task_id: task.id })).task;
    expect(final.unknown_cost_calls).toBe(1);
  });

  it('cancels a task during a running tool within a second', async () => {
    const { client } = await open(
      [{ name: 'slow-tool', match: 'slow tool', turns: [sleepTurn(60_000), { content: 'never' }] }],
      {},
      true,
    );
    await cancelDuringTool(client, 'slow tool');
  });

  it('cancels a tool running in an external MCP server within a second', async () => {
    const { client } = await open(
      [
        {
          name: 'slow-external',
          match: 'slow external',
          turns: [{ tool_calls: [{ name: 'ext__slow', arguments: { ms: 60_000 } }] }, { content: 'never' }],
        },
      ],
      { mcp: { servers: { ext: { command: process.execPath, args: [SAMPLING_SERVER] } } } },
      true,
    );
    await cancelDuringTool(client, 'slow external');
  });
});

describe('sampling and roots for external MCP servers', () => {
  it('answers a sampling request through the gateway, billed to the task, and offers the workspace as the only root', async () => {
    const { client, llm } = await open(
      [
        {
          name: 'agent',
          match: 'summarize the notes',
          turns: [
            {
              tool_calls: [{ name: 'ext__summarize', arguments: { text: 'long notes' } }],
              usage: { prompt_tokens: 1000, completion_tokens: 100 },
            },
            {
              tool_calls: [{ name: 'ext__roots', arguments: {} }],
              usage: { prompt_tokens: 1000, completion_tokens: 100 },
            },
            { content: 'summarized', usage: { prompt_tokens: 1000, completion_tokens: 100 } },
          ],
        },
        {
          name: 'sampled',
          match: 'Summarize: long notes',
          turns: [{ content: 'short notes', usage: { prompt_tokens: 500, completion_tokens: 50 } }],
        },
      ],
      { mcp: { servers: { ext: { command: process.execPath, args: [SAMPLING_SERVER] } } } },
    );
    const { task } = await client.call(runTaskTool, { prompt: 'summarize the notes', timeout_seconds: 30 });
    expect(task.status).toBe('COMPLETED');
    expect(llm.requests[2]?.lastToolResult).toBe('summary by gpt-4o-mini: short notes');
    expect(JSON.parse(llm.requests[3]?.lastToolResult ?? '[]')).toEqual([
      { uri: `file://${task.workspace}`, name: 'task workspace' },
    ]);
    // 3 agent calls × 210 µ$ + the sampling call 500×0.15 + 50×0.6 = 105 µ$.
    expect(task.cost_micro_usd).toBe(3 * 210 + 105);
    const summary = await client.call(costSummaryTool, { task_id: task.id });
    expect(summary.total.calls).toBe(4);
  });
});
