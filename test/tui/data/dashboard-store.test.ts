import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { costSummaryTool, setBudgetTool } from '../../../protocol/tools/cost-tools.js';
import {
  createTaskTool,
  getTaskLogTool,
  getTaskTool,
  listTasksTool,
} from '../../../protocol/tools/task-tools.js';
import type { Scenario } from '../../fixtures/scripted-llm/scenario.js';
import { scenarioCost, startAgentServer, usage, type AgentServer } from '../../helpers/dashboard-agent.js';
import type { AzClient } from '../../../protocol/client.js';
import { connectHttp as connectTestClient } from '../../helpers/http-client.js';
import { startLegacyOnlyServer } from '../../helpers/legacy-server.js';
import { createTempHome, type TempHome } from '../../helpers/temp-home.js';
import {
  inProcessConnection,
  startTestServer,
  waitFor,
  type TestServer,
} from '../../helpers/dashboard-server.js';
import { connectHttp, type DashboardClient } from '../../../tui/data/connection.js';
import { createDashboardStore, type DashboardStore } from '../../../tui/data/dashboard-store.js';

describe('dashboard store against a real server', () => {
  let temp: TempHome;
  let server: TestServer;
  let store: DashboardStore | undefined;
  let other: AzClient | undefined;

  beforeEach(async () => {
    temp = createTempHome();
    server = await startTestServer(temp.env);
  });

  afterEach(async () => {
    await store?.close();
    await other?.close();
    store = undefined;
    other = undefined;
    await server.close();
    temp.cleanup();
  });

  const httpStore = (token = server.adminToken): DashboardStore => {
    const created = createDashboardStore({
      connect: events => connectHttp({ url: server.url, token }, events),
      statusPollMs: 60_000,
    });
    created.start();
    return created;
  };

  it('hears a task created by another client over 2026-07-28 (subscriptions/listen), without polling', async () => {
    store = httpStore();
    await waitFor(() => store?.getState().tasksLoaded, 5000, 'first load');
    // Live once the update stream is acknowledged (the first tasks come before it, by stateless calls).
    await waitFor(() => store?.getState().connection.phase === 'live', 5000, 'live');
    expect(store.getState().connection).toMatchObject({ phase: 'live', era: 'modern' });
    other = await connectTestClient(server.url, server.adminToken, 'modern');
    const { task } = await other.call(createTaskTool, { prompt: 'write the weekly report' });
    const seen = await waitFor(
      () => store?.getState().tasks.find(found => found.id === task.id),
      5000,
      'the new task',
    );
    expect(seen.title).toBe('write the weekly report');
    expect(store.stats().notifications).toBeGreaterThan(0);
  });

  it('hears changes over a 2025-era session (resources/subscribe) too', async () => {
    store = createDashboardStore({
      connect: events => inProcessConnection(server.runtime, events),
      statusPollMs: 60_000,
    });
    store.start();
    await waitFor(() => store?.getState().connection.phase === 'live', 5000, 'live');
    expect(store.getState().connection.era).toBe('legacy');
    const task = server.runtime.core.tasks.create({ prompt: 'index the docs' }, 'test');
    await waitFor(() => store?.getState().tasks.some(found => found.id === task.id), 5000, 'the new task');
    server.runtime.core.tasks.cancel(task.id, 'test', 'test');
    await waitFor(
      () => store?.getState().tasks.find(found => found.id === task.id)?.status === 'FINALIZED',
      5000,
      'the cancel',
    );
  });

  it('falls back to the SDK client for everything on an HTTP server that speaks only the 2025 era', async () => {
    const legacy = await startLegacyOnlyServer(server.runtime);
    try {
      server.runtime.core.tasks.create({ prompt: 'already there' }, 'test');
      store = createDashboardStore({
        connect: events => connectHttp({ url: legacy.url, token: 'unused' }, events),
        statusPollMs: 60_000,
      });
      store.start();
      await waitFor(
        () => store?.getState().connection.phase === 'live',
        10_000,
        () => `live (${JSON.stringify(store?.getState().connection)})`,
      );
      expect(store.getState().connection.era).toBe('legacy');
      expect(store.getState().tasks.map(task => task.title)).toEqual(['already there']);
      // Live over resources/subscribe on the session.
      const task = server.runtime.core.tasks.create({ prompt: 'arrived later' }, 'test');
      await waitFor(() => store?.getState().tasks.some(found => found.id === task.id), 5000, 'the new task');
      expect(store.stats().notifications).toBeGreaterThan(0);
    } finally {
      await store?.close();
      store = undefined;
      await legacy.close();
    }
  });

  it('ends on the server state after bursts of 300 changes, with far fewer list reads and frames', async () => {
    store = httpStore();
    await waitFor(() => store?.getState().tasksLoaded, 5000, 'first load');
    const frames: number[] = [];
    store.subscribe(() => frames.push(Date.now()));
    // Ten bursts of 10 creations and 10 cancellations (each two status changes), each within one tick.
    const tasks = server.runtime.core.tasks;
    for (let burst = 0; burst < 10; burst += 1) {
      const ids = Array.from(
        { length: 10 },
        (_, index) => tasks.create({ prompt: `burst ${burst}-${index}` }, 'test').id,
      );
      for (const id of ids) tasks.cancel(id, 'test', 'test');
      await new Promise(resolve => setTimeout(resolve, 5));
    }
    other = await connectTestClient(server.url, server.adminToken, 'modern');
    const truth = await other.call(listTasksTool, { limit: 200 });
    const want = truth.tasks.map(task => `${task.id}:${task.status}:${task.updated_at}`);
    await waitFor(
      () => {
        const have = store?.getState().tasks.map(task => `${task.id}:${task.status}:${task.updated_at}`);
        return JSON.stringify(have) === JSON.stringify(want);
      },
      10_000,
      'the final state',
    );
    expect(store.stats().refreshes).toBeLessThan(40);
    // Listeners (the renderer) hear at most one change per 17 ms frame: never above 60 a second.
    const gaps = frames.slice(1).map((at, index) => at - (frames[index] as number));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(16);
  });

  it('follows the open task: new steps, its status and its (empty) checkpoints', async () => {
    store = httpStore();
    const { task } = await (other = await connectTestClient(server.url, server.adminToken, 'modern')).call(
      createTaskTool,
      {
        prompt: 'refactor the parser',
      },
    );
    await waitFor(() => store?.getState().tasksLoaded, 5000, 'first load');
    store.openDetail(task.id);
    await waitFor(() => store?.getState().detail?.task?.id === task.id, 5000, 'the detail');
    server.runtime.core.taskStore.appendEvent(task.id, 'tool_call', {
      name: 'read_file',
      arguments: { path: 'src/parser.ts' },
    });
    const events = await waitFor(
      () =>
        store?.getState().detail?.events.find(event => event.type === 'tool_call') &&
        store?.getState().detail?.events,
      5000,
      'the tool call',
    );
    expect(events.map(event => event.type)).toEqual(['status', 'status', 'tool_call']);
    await waitFor(() => store?.getState().detail?.checkpoints.state === 'ready', 5000, 'checkpoints');
    expect(store.getState().detail?.checkpoints).toEqual({ state: 'ready', value: [] });
    server.runtime.core.taskStore.transition(task.id, 'RUNNING');
    await waitFor(() => store?.getState().detail?.task?.status === 'RUNNING', 5000, 'RUNNING');
    store.closeDetail();
    expect(store.getState().detail).toBeUndefined();
  });

  it('ends on the open task as the server has it when its read and its log read straddle a change', async () => {
    // The detail view reads the task and its new events in two calls. Here the task changes between them, every
    // time on cue: the first refresh gets the task from before the change and the events from after it; the
    // refresh that follows finds no new events, and must still take the newer task.
    const task = server.runtime.core.tasks.create({ prompt: 'tidy the changelog' }, 'test');
    let change: (() => void) | undefined;
    let releaseLog: () => void = () => undefined;
    let logGate: Promise<void> = Promise.resolve();
    const straddle = (between: () => void): void => {
      change = between;
      logGate = new Promise(resolve => {
        releaseLog = resolve;
      });
    };
    store = createDashboardStore({
      connect: async events => {
        const connection = await connectHttp({ url: server.url, token: server.adminToken }, events);
        const inner = connection.client;
        const call: DashboardClient['call'] = async (contract, args, options) => {
          if (contract.name === getTaskLogTool.name) await logGate;
          const result = await inner.call(contract, args, options);
          if (contract.name === getTaskTool.name && change) {
            const between = change;
            change = undefined;
            between();
            releaseLog();
          }
          return result;
        };
        return { ...connection, client: { ...inner, call } };
      },
      statusPollMs: 60_000,
    });
    store.start();
    await waitFor(() => store?.getState().connection.phase === 'live', 5000, 'live');
    store.openDetail(task.id);
    await waitFor(() => store?.getState().detail?.task?.status === 'PENDING', 5000, 'the detail');
    await waitFor(() => store?.getState().detail?.events.length === 2, 5000, 'the first events');

    straddle(() => server.runtime.core.taskStore.transition(task.id, 'RUNNING'));
    server.runtime.core.taskStore.appendEvent(task.id, 'log', { message: 'starting' });
    await waitFor(() => store?.getState().detail?.events.length === 4, 5000, 'the log line and RUNNING');
    await store.settled();
    expect(store.getState().detail?.task?.status).toBe('RUNNING');
    expect(server.runtime.core.taskStore.get(task.id).status).toBe('RUNNING');
  });

  it('reconnects and reads everything again after the server restarts', async () => {
    let target = { url: server.url, token: server.adminToken };
    store = createDashboardStore({ connect: events => connectHttp(target, events), statusPollMs: 60_000 });
    store.start();
    await waitFor(() => store?.getState().tasksLoaded, 5000, 'first load');
    server.runtime.core.tasks.create({ prompt: 'before the restart' }, 'test');
    await waitFor(() => store?.getState().tasks.length === 1, 5000, 'one task');
    await server.close();
    await waitFor(() => store?.getState().connection.phase === 'reconnecting', 10_000, 'reconnecting');
    server = await startTestServer(temp.env);
    target = { url: server.url, token: server.adminToken };
    server.runtime.core.tasks.create({ prompt: 'after the restart' }, 'test');
    await waitFor(() => store?.getState().connection.phase === 'live', 15_000, 'live again');
    await waitFor(() => store?.getState().tasks.length === 2, 5000, 'both tasks');
  });

  it('shows a tool that answers UNAVAILABLE where it happened, and keeps the connection', async () => {
    await server.close();
    // Checkpoints turned off: list_checkpoints answers UNAVAILABLE (an isError result, not a lost server).
    server = await startTestServer({ ...temp.env, AZ_CHECKPOINTS_ENABLED: 'false' });
    let connects = 0;
    store = createDashboardStore({
      connect: events => {
        connects += 1;
        return connectHttp({ url: server.url, token: server.adminToken }, events);
      },
      statusPollMs: 60_000,
    });
    store.start();
    const task = server.runtime.core.tasks.create({ prompt: 'no checkpoints here' }, 'test');
    await waitFor(() => store?.getState().capabilities.tools.has('list_checkpoints'), 5000, 'tools/list');
    store.openDetail(task.id);
    const checkpoints = await waitFor(
      () => {
        const current = store?.getState().detail?.checkpoints;
        return current?.state === 'error' ? current : undefined;
      },
      5000,
      'the checkpoint error',
    );
    expect(checkpoints.message).toMatch(/checkpoints are turned off/);
    expect(store.getState().connection.phase).toBe('live');
    expect(connects).toBe(1);
  });

  it('backs off when a connection breaks right after it is made, instead of reconnecting in a loop', async () => {
    let connects = 0;
    store = createDashboardStore({
      connect: async events => {
        connects += 1;
        const connection = await inProcessConnection(server.runtime, events);
        await connection.close(); // every read on it fails as a lost connection
        return connection;
      },
      statusPollMs: 60_000,
    });
    store.start();
    await waitFor(() => connects >= 3, 5000, 'the third attempt');
    // 0 ms, then 250, 500, 1000 ms apart: a loop without the back-off makes thousands of attempts here.
    await new Promise(resolve => setTimeout(resolve, 500));
    expect(connects).toBeLessThanOrEqual(5);
    expect(store.getState().connection.phase).toBe('reconnecting');
  });

  it('shows a refused token in the header instead of going live', async () => {
    store = httpStore('not-the-token');
    const connection = await waitFor(
      () => (store?.getState().connection.error ? store.getState().connection : undefined),
      5000,
      'the error',
    );
    expect(connection.phase).not.toBe('live');
    expect(connection.error).toMatch(/401|nauthori[sz]ed/);
    expect(store.getState().tasksLoaded).toBe(false);
  });

  it('turns a refused action into a notice with the server message (viewer token)', async () => {
    store = httpStore(server.viewerToken as string);
    await waitFor(() => store?.getState().caller?.role, 5000, 'the role');
    expect(store.getState().caller).toEqual({ name: server.viewerName, role: 'viewer' });
    expect(store.getState().capabilities.tools.has('cancel_task')).toBe(false);
    expect(await store.createTask('not allowed')).toBeUndefined();
    expect(store.getState().notice).toMatchObject({ kind: 'error' });
    expect(store.getState().notice?.text).toMatch(/create failed/);
  });
});

describe('dashboard store with the agent running tasks on the scripted LLM server', () => {
  // Turn costs on gpt-4o-mini: 1000×0.15 + 100×0.6 = 210; 200×0.15 + 1000×0.075 + 60×0.6 = 141.
  const report: Scenario = {
    name: 'report',
    match: 'write the weekly report',
    turns: [
      {
        tool_calls: [{ name: 'azos__write_file', arguments: { path: 'report.md', content: '# Week 12\n' } }],
        usage: usage(1000, 100),
      },
      { content: 'Wrote report.md.', usage: usage(1200, 60, 1000) },
    ],
  };
  // The first attempt is refused (HTTP 400: not worth retrying), so the task fails; resumed, it answers.
  const flaky: Scenario = {
    name: 'flaky',
    match: 'summarise the flaky feed',
    turns: [{ content: 'Nothing new.', usage: usage(400, 20), faults: [{ type: '400' }] }],
  };
  let setup: AgentServer;
  let store: DashboardStore | undefined;

  beforeEach(async () => {
    setup = await startAgentServer([report, flaky], { checkpoints: { enabled: true } });
  });

  afterEach(async () => {
    await store?.close();
    store = undefined;
    await setup.close();
  });

  it("shows the cost tools' figures: today, total, budgets, by model and by day, equal to the ledger", async () => {
    await setup.client.call(setBudgetTool, { scope: 'day', limit_usd: 5 });
    await setup.client.call(setBudgetTool, { scope: 'total', limit_usd: 100 });
    store = createDashboardStore({
      connect: events => connectHttp({ url: setup.server.url, token: setup.server.adminToken }, events),
      statusPollMs: 60_000,
    });
    store.start();
    const { task } = await setup.client.call(createTaskTool, { prompt: 'write the weekly report' });
    await waitFor(
      () => store?.getState().tasks.find(found => found.id === task.id)?.status === 'COMPLETED',
      15_000,
      'the task to complete',
    );
    const expected = scenarioCost(report.turns);
    expect(expected).toBe(210 + 141);
    const cost = await waitFor(
      () => {
        const current = store?.getState().cost;
        return current?.state === 'ready' && current.value.totalMicroUsd === expected
          ? current.value
          : undefined;
      },
      10_000,
      () => `the cost of the task in the panel (${JSON.stringify(store?.getState().cost)})`,
    );
    const today = new Date().toISOString().slice(0, 10);
    expect(cost).toMatchObject({
      source: 'server',
      today: { day: today, zone: 'UTC' },
      todayMicroUsd: expected,
      calls: 2,
      tokens: { input: 2200, cachedInput: 1000, output: 160 },
      unknownCostCalls: 0,
      inFlight: { calls: 0, reservedMicroUsd: 0 },
      budgets: {
        day: { limitMicroUsd: 5_000_000, spentMicroUsd: expected, reservedMicroUsd: 0 },
        total: { limitMicroUsd: 100_000_000, spentMicroUsd: expected, reservedMicroUsd: 0 },
      },
      byModel: [{ model: 'gpt-4o-mini', costMicroUsd: expected, calls: 2, unknownCostCalls: 0 }],
    });
    expect(cost.byDay).toHaveLength(30);
    expect(cost.byDay.at(-1)).toEqual({ day: today, costMicroUsd: expected });
    // The same figures as the tools themselves (and the task's own cost).
    const summary = await setup.client.call(costSummaryTool, {});
    expect(summary.total.cost_micro_usd).toBe(expected);
    expect(store.getState().tasks.find(found => found.id === task.id)?.cost_micro_usd).toBe(expected);

    // Its detail: the real step log and the checkpoint taken after the step that wrote report.md.
    store.openDetail(task.id);
    const checkpoints = await waitFor(
      () => {
        const current = store?.getState().detail?.checkpoints;
        return current?.state === 'ready' && current.value.length > 0 ? current.value : undefined;
      },
      10_000,
      'checkpoints',
    );
    expect(checkpoints[0]?.task_id).toBe(task.id);
    const types = store.getState().detail?.events.map(event => event.type);
    expect(types).toEqual(
      expect.arrayContaining(['llm.started', 'llm.reply', 'tool.started', 'tool.result']),
    );
  });

  it('resumes a FAILED task through resume_task and follows it to COMPLETED', async () => {
    store = createDashboardStore({
      connect: events => connectHttp({ url: setup.server.url, token: setup.server.adminToken }, events),
      statusPollMs: 60_000,
    });
    store.start();
    const { task } = await setup.client.call(createTaskTool, { prompt: 'summarise the flaky feed' });
    await waitFor(
      () => store?.getState().tasks.find(found => found.id === task.id)?.status === 'FAILED',
      15_000,
      'the task to fail',
    );
    await waitFor(() => store?.getState().capabilities.tools.has('resume_task'), 5000, 'tools/list');
    expect(await store.resumeTask(task.id)).toBe('resumed');
    expect(store.getState().notice?.text).toMatch(/'summarise the flaky feed' resumes from its journal/);
    await waitFor(
      () => store?.getState().tasks.find(found => found.id === task.id)?.status === 'COMPLETED',
      15_000,
      'the resumed task to complete',
    );
    // Resuming a task that is done is refused by the server, and said so.
    expect(await store.resumeTask(task.id)).toBe('failed');
    expect(store.getState().notice).toMatchObject({ kind: 'error' });
    expect(store.getState().notice?.text).toMatch(/resume failed: task .* is COMPLETED/);
  });
});

describe('dashboard store against a server without checkpoint tools', () => {
  it('reports checkpoints as not available rather than failing', async () => {
    const temp = createTempHome();
    const server = await startTestServer(temp.env, { minimal: true });
    const store = createDashboardStore({
      connect: events => connectHttp({ url: server.url, token: server.adminToken }, events),
      statusPollMs: 60_000,
    });
    try {
      store.start();
      const task = server.runtime.core.tasks.create({ prompt: 'old server' }, 'test');
      await waitFor(() => store.getState().capabilities.tools.size > 0, 5000, 'tools/list');
      expect(store.getState().capabilities.tools.has('list_checkpoints')).toBe(false);
      store.openDetail(task.id);
      await waitFor(() => store.getState().detail?.task, 5000, 'the detail');
      expect(store.getState().detail?.checkpoints).toEqual({ state: 'unavailable' });
      expect(store.getState().cost).toEqual({ state: 'unavailable' });
    } finally {
      await store.close();
      await server.close();
      temp.cleanup();
    }
  });
});
