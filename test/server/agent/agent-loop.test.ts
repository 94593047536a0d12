/** The ReAct loop against the scripted LLM server, run in the foreground (a CLI without a server). */
import { afterEach, describe, expect, it } from 'vitest';
import { runTaskTool } from '../../../protocol/tools/agent-tools.js';
import { costSummaryTool } from '../../../protocol/tools/cost-tools.js';
import { getTaskLogTool } from '../../../protocol/tools/task-tools.js';
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

async function open(scenarios: Scenario[], config: Record<string, unknown> = {}) {
  llm = await startScriptedLlmServer({ scenarios });
  temp = createAgentHome({ llmUrl: llm.url, filesystem: false, config });
  handle = await openAgentRuntime(temp.env);
  return { llm, client: handle.client };
}

const usage = (prompt_tokens: number, completion_tokens: number, cached_tokens = 0) => ({
  prompt_tokens,
  completion_tokens,
  cached_tokens,
});

describe('the agent loop', () => {
  it('falls back to the next model of the route and prices the call at the model that answered', async () => {
    const { client, llm } = await open(
      [
        {
          name: 'fb',
          match: 'fallback',
          turns: [
            {
              content: 'answered by the fallback',
              usage: usage(1000, 100),
              faults_by_model: { 'broken-model': [{ type: '500', times: 99 }] },
            },
          ],
        },
      ],
      { llm: { routes: { default: ['broken-model', 'gpt-4o'] }, max_retries: 1 } },
    );
    const { task } = await client.call(runTaskTool, { prompt: 'fallback please', timeout_seconds: 30 });
    expect(task).toMatchObject({ status: 'COMPLETED', result: 'answered by the fallback' });
    // gpt-4o: 1000×2.5 + 100×10 = 3500 µ$
    expect(task.cost_micro_usd).toBe(3500);
    expect(llm.requests.map(request => request.model)).toEqual(['broken-model', 'broken-model', 'gpt-4o']);
    const log = await client.call(getTaskLogTool, { task_id: task.id });
    expect(log.events.some(event => event.type === 'llm.fallback')).toBe(true);
  });

  it('retries its own task in the foreground after a transient failure (no server needed)', async () => {
    const { client, llm } = await open(
      [
        {
          name: 'flaky',
          match: 'flaky foreground',
          turns: [{ content: 'second time lucky', faults: [{ type: '500', times: 3 }] }],
        },
      ],
      { llm: { max_retries: 2 } },
    );
    const { task } = await client.call(runTaskTool, {
      prompt: 'flaky foreground',
      max_attempts: 2,
      timeout_seconds: 30,
    });
    expect(task).toMatchObject({ status: 'COMPLETED', result: 'second time lucky', attempts: 2 });
    expect(llm.requests).toHaveLength(4);
  });

  it('stops a foreground run at once when no LLM answers at all, without waiting to retry it', async () => {
    // A port nothing listens on: every attempt is refused.
    const { llm } = await open([], { llm: { max_retries: 1 } });
    await llm.close();
    const started = Date.now();
    const { task } = await handle!.client.call(runTaskTool, {
      prompt: 'anyone there?',
      max_attempts: 3,
      timeout_seconds: 30,
    });
    expect(task).toMatchObject({ status: 'FAILED', attempts: 1, steps: 0 });
    expect(task.error).toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/no LLM is reachable/),
    });
    expect(task.error?.hint).toMatch(/LiteLLM|llm\.provider/);
    const log = await handle!.client.call(getTaskLogTool, { task_id: task.id });
    expect(log.events.map(event => event.to_status).filter(Boolean)).not.toContain('RETRYING');
    // The gateway's own retry (max_retries 1) only: no task-level retry delay of seconds.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('gives tool errors back to the model, which corrects itself', async () => {
    const { client, llm } = await open([
      {
        name: 'self-correct',
        match: 'correct yourself',
        turns: [
          { tool_calls: [{ name: 'azos__test_sleep', arguments: '{"ms": "soon"' }] },
          { tool_calls: [{ name: 'azos__test_sleep', arguments: { ms: 'soon' } }] },
          { tool_calls: [{ name: 'azos__no_such_tool', arguments: {} }] },
          { tool_calls: [{ name: 'azos__test_sleep', arguments: { ms: 1 } }] },
          { content: 'slept' },
        ],
      },
    ]);
    const { task } = await client.call(runTaskTool, { prompt: 'correct yourself', timeout_seconds: 30 });
    expect(task.status).toBe('COMPLETED');
    expect(llm.requests[1]?.lastToolResult).toMatch(/not valid JSON/);
    expect(llm.requests[2]?.lastToolResult).toMatch(/INVALID_INPUT.*ms/);
    expect(llm.requests[3]?.lastToolResult).toMatch(/no tool named azos__no_such_tool.*azos__test_sleep/);
    expect(llm.requests[4]?.lastToolResult).toMatch(/slept_ms/);
  });

  it("runs AZ-OS's own tools in the task's scope and hides task management from the model", async () => {
    const { client, llm } = await open([
      {
        name: 'scope',
        match: 'where am i',
        turns: [{ tool_calls: [{ name: 'azos__test_scope', arguments: {} }] }, { content: 'here' }],
      },
    ]);
    const { task } = await client.call(runTaskTool, { prompt: 'where am i', timeout_seconds: 30 });
    expect(JSON.parse(llm.requests[1]?.lastToolResult ?? '{}')).toEqual({
      task_id: task.id,
      workspace: task.workspace,
      principal: `agent:${task.id}`,
    });
    const offered = llm.requests[0]?.toolNames ?? [];
    expect(offered).toEqual(expect.arrayContaining(['azos__test_scope', 'azos__test_sleep']));
    for (const hidden of [
      'create_task',
      'run_task',
      'cancel_task',
      'set_budget',
      'get_cost_summary',
      'set_config',
      'add_mcp_server',
    ]) {
      expect(offered.some(name => name.endsWith(hidden))).toBe(false);
    }
    expect(offered.every(name => /^[a-zA-Z0-9_-]{1,64}$/.test(name))).toBe(true);
  });

  it('stops at the step cap with STEP_LIMIT', async () => {
    const turns = [0, 1, 2, 3, 4].map(index => ({
      tool_calls: [{ name: 'azos__test_sleep', arguments: { ms: index } }],
    }));
    const { client } = await open([{ name: 'endless', match: 'never ends', turns }], {
      tasks: { max_steps: 3 },
    });
    const { task } = await client.call(runTaskTool, {
      prompt: 'never ends',
      max_attempts: 1,
      timeout_seconds: 30,
    });
    expect(task.status).toBe('FAILED');
    expect(task.error).toMatchObject({ code: 'STEP_LIMIT' });
    expect(task.error?.hint).toMatch(/tasks\.max_steps/);
    expect(task.steps).toBe(3);
  });

  it('does not run the same call a third time in a row, and stops the task on the fourth', async () => {
    const same = { tool_calls: [{ name: 'azos__test_sleep', arguments: { ms: 5 } }] };
    const { client, llm } = await open([
      { name: 'loop', match: 'repeat yourself', turns: [same, same, same, same, { content: 'never' }] },
    ]);
    const { task } = await client.call(runTaskTool, {
      prompt: 'repeat yourself',
      max_attempts: 1,
      timeout_seconds: 30,
    });
    expect(llm.requests[3]?.lastToolResult).toMatch(/^Not run: you already called azos__test_sleep/);
    expect(task.status).toBe('FAILED');
    expect(task.error).toMatchObject({ code: 'STEP_LIMIT' });
    expect(task.error?.message).toMatch(/same arguments \(4 times in a row\)/);
  });

  it('records streamed usage.cost and the LiteLLM header as the cost, and an unpriced model as unknown', async () => {
    const scenarios: Scenario[] = [
      {
        name: 'header',
        match: 'proxy priced',
        turns: [{ content: 'a', usage: usage(100, 10), cost_header: '0.001234' }],
      },
      {
        name: 'private',
        match: 'private model',
        turns: [{ content: 'b', usage: usage(100, 10), model: 'in-house-llm' }],
      },
    ];
    const { client } = await open(scenarios, { llm: { routes: { default: ['in-house-llm'] } } });
    const priced = await client.call(runTaskTool, { prompt: 'proxy priced', timeout_seconds: 30 });
    expect(priced.task).toMatchObject({ status: 'COMPLETED', cost_micro_usd: 1234, unknown_cost_calls: 0 });
    const unknown = await client.call(runTaskTool, { prompt: 'private model', timeout_seconds: 30 });
    expect(unknown.task).toMatchObject({ status: 'COMPLETED', cost_micro_usd: 0, unknown_cost_calls: 1 });
    const summary = await client.call(costSummaryTool, { group_by: 'model' });
    expect(summary.total).toMatchObject({ calls: 2, cost_micro_usd: 1234, unknown_cost_calls: 1 });
  });

  it('streams replies when llm.stream is on and takes usage.cost from the final chunk', async () => {
    const { client, llm } = await open(
      [
        {
          name: 'stream',
          match: 'stream it',
          turns: [
            {
              content: 'thinking',
              tool_calls: [{ name: 'azos__test_sleep', arguments: { ms: 1 } }],
              usage: usage(200, 20),
              usage_cost: 0.0005,
            },
            { content: 'streamed answer', usage: usage(300, 30, 100) },
          ],
        },
      ],
      { llm: { stream: true } },
    );
    const { task } = await client.call(runTaskTool, { prompt: 'stream it', timeout_seconds: 30 });
    expect(llm.requests.every(request => request.stream)).toBe(true);
    // 500 from usage.cost; then gpt-4o-mini: 200×0.15 + 100×0.075 + 30×0.6 = 55.5 → 56.
    expect(task).toMatchObject({ status: 'COMPLETED', result: 'streamed answer', cost_micro_usd: 556 });
  });
});
