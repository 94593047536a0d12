/**
 * The reads that keep each part of the dashboard's state equal to the server's: the task list, status, cost,
 * and the open task with its checkpoints. Each is a coalescer, so a burst of notifications costs one read in
 * flight and one after it.
 */
import type { DashboardClient } from './connection.js';
import { isAppError } from '../../protocol/errors.js';
import { getStatusTool } from '../../protocol/tools/system-tools.js';
import { getTaskTool } from '../../protocol/tools/task-tools.js';
import { readCheckpoints } from './checkpoint-sync.js';
import { createCoalescer, type Coalescer } from './coalesce.js';
import { readEvents } from './event-sync.js';
import { readServerCost } from './cost-sync.js';
import type { DashboardState, DetailState, LiveStats } from './state.js';
import { readAllTasks, shareUnchanged } from './task-sync.js';

/** An error as one line for the user: the message and, when there is one, what to do. */
export function describeError(error: unknown): string {
  if (isAppError(error)) return error.hint ? `${error.message} (${error.hint})` : error.message;
  return error instanceof Error ? error.message : String(error);
}

/** A lost server is the store's business (it reconnects); other failures are shown where they happened. */
export const unreachable = (error: unknown): boolean =>
  isAppError(error) && !error.fromServer && (error.code === 'UNAVAILABLE' || error.code === 'TIMEOUT');

export interface RefresherDeps {
  client: () => DashboardClient;
  state: () => DashboardState;
  set: (patch: Partial<DashboardState>) => void;
  setDetail: (taskId: string, patch: Partial<DetailState>) => void;
  /** Optional-tool reads wait for the first tools/list. */
  capabilitiesKnown: () => boolean;
  /** Failures of a whole read (the store reconnects or shows a notice). */
  failed: (error: unknown) => void;
  stats: LiveStats;
  now: () => number;
  /** Rows of the very first page of the task list. */
  firstPageSize: number;
}

export interface Refreshers {
  tasks: Coalescer;
  status: Coalescer;
  cost: Coalescer;
  detail: Coalescer;
  checkpoints: Coalescer;
  all: readonly Coalescer[];
}

export function createRefreshers(deps: RefresherDeps): Refreshers {
  const { client, state, set, setDetail, failed, stats, now } = deps;
  let lastTaskRefreshMs = 0;

  const tasks = createCoalescer(
    async () => {
      const started = now();
      const first = !state().tasksLoaded;
      const page = await readAllTasks(client(), {
        firstPageSize: first ? deps.firstPageSize : undefined,
        onFirstPage: first
          ? rows => set({ tasks: shareUnchanged(state().tasks, rows), tasksLoaded: true })
          : undefined,
      });
      lastTaskRefreshMs = now() - started;
      stats.refreshes += 1;
      stats.lastListMs = lastTaskRefreshMs;
      const tasks = shareUnchanged(state().tasks, page.tasks);
      if (tasks !== state().tasks || !state().tasksLoaded || page.truncated !== state().tasksTruncated) {
        set({ tasks, tasksLoaded: true, tasksTruncated: page.truncated });
      }
    },
    // Many tasks on a busy server: keep list reads to at most half the time, 100 ms to 1 s apart.
    { minIntervalMs: () => Math.min(1000, Math.max(100, lastTaskRefreshMs * 2)), onError: failed },
  );

  const status = createCoalescer(
    async () => {
      const result = await client().call(getStatusTool, {});
      set({ status: result, caller: result.caller });
    },
    { minIntervalMs: 500, onError: failed },
  );

  const cost = createCoalescer(
    async () => {
      if (!deps.capabilitiesKnown()) return;
      if (!state().capabilities.tools.has('get_cost_summary')) {
        set({ cost: { state: 'unavailable' } });
        return;
      }
      if (state().cost.state !== 'ready') set({ cost: { state: 'loading' } });
      try {
        set({ cost: { state: 'ready', value: await readServerCost(client(), state().capabilities, now()) } });
      } catch (error) {
        if (unreachable(error)) throw error;
        set({ cost: { state: 'error', message: describeError(error) } });
      }
    },
    // Spend changes with every task update: read it at most every 2 s once it has been read.
    { minIntervalMs: () => (state().cost.state === 'ready' ? 2000 : 0), onError: failed },
  );

  const detail = createCoalescer(
    async () => {
      const open = state().detail;
      if (!open) return;
      const { taskId } = open;
      try {
        const [{ task }, { events, eventsTruncated }] = await Promise.all([
          client().call(getTaskTool, { task_id: taskId }),
          readEvents(client(), taskId, open),
        ]);
        setDetail(taskId, { task, events, eventsTruncated, error: undefined });
      } catch (error) {
        if (unreachable(error)) throw error;
        setDetail(taskId, { error: describeError(error) });
      }
    },
    { minIntervalMs: 50, onError: failed },
  );

  const checkpoints = createCoalescer(
    async () => {
      const open = state().detail;
      if (!open || !deps.capabilitiesKnown()) return;
      if (!state().capabilities.tools.has('list_checkpoints')) {
        setDetail(open.taskId, { checkpoints: { state: 'unavailable' } });
        return;
      }
      try {
        const items = await readCheckpoints(client(), open.taskId);
        setDetail(open.taskId, { checkpoints: { state: 'ready', value: items } });
      } catch (error) {
        if (unreachable(error)) throw error;
        setDetail(open.taskId, { checkpoints: { state: 'error', message: describeError(error) } });
      }
    },
    { minIntervalMs: () => (state().detail?.checkpoints.state === 'ready' ? 2000 : 0), onError: failed },
  );

  return { tasks, status, cost, detail, checkpoints, all: [tasks, status, cost, detail, checkpoints] };
}
