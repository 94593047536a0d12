/**
 * The dashboard store: one MCP connection, the state the views draw, and the live-update loop.
 *
 * Resource update notifications mark parts of the state stale (the task list, status, cost, the open task);
 * each part is refreshed by a coalescer (one read in flight, a trailing read after any burst), and listeners
 * hear about changes at most once per frame. A dropped connection is re-established with backoff, after which
 * everything is read again, so the views always end on the server's state.
 */
import { AppError, isAppError } from '../../protocol/errors.js';
import { RESOURCE_URIS, taskEventsUri, taskUri } from '../../protocol/resources.js';
import type { TaskSummary } from '../../protocol/task.js';
import { discoverCapabilities } from './capabilities.js';
import { createFrameScheduler } from './coalesce.js';
import type { ConnectionEvents, DashboardConnection } from './connection.js';
import { createRefreshers, describeError, unreachable } from './refreshers.js';
import { initialState, type DashboardState, type DetailState, type LiveStats } from './state.js';
import { createTaskActions, type TaskActions } from './task-actions.js';

export interface StoreOptions {
  /** Opens a connection; called again (re-discovering the server) after the connection drops. */
  connect: (events: ConnectionEvents) => Promise<DashboardConnection>;
  /** Workspace for tasks created from the dashboard (undefined: the server's default). */
  workspace?: string | undefined;
  now?: () => number;
  /**
   * Minimum spacing of emitted changes. Default 17 ms, Ink's own 60 fps throttle: at most 60 frames a second,
   * and a frame is never held back by both throttles.
   */
  frameMs?: number;
  /** How often status is read without a notification, for component health (default 10 s). */
  statusPollMs?: number;
  /** Rows of the first task page (enough for a screen; the rest follows). */
  firstPageSize?: number;
}

export interface DashboardStore extends TaskActions {
  getState(): DashboardState;
  /** Counters of the live updates (read when drawing the system panel). */
  stats(): LiveStats;
  subscribe(listener: () => void): () => void;
  start(): void;
  /** Resolves once there is something worth drawing: the first tasks, or why the server is not reachable. */
  ready(): Promise<void>;
  openDetail(taskId: string): void;
  /** Shows a one-line message under the view. */
  notify(kind: 'info' | 'error', text: string): void;
  closeDetail(): void;
  /** Resolves when every pending refresh has finished (tests, benchmarks). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 4000];

export function createDashboardStore(options: StoreOptions): DashboardStore {
  const now = options.now ?? Date.now;
  let state = initialState(now());
  const stats: LiveStats = { notifications: 0, refreshes: 0, lastListMs: undefined };
  const listeners = new Set<() => void>();
  const frame = createFrameScheduler(() => {
    for (const listener of [...listeners]) listener();
  }, options.frameMs ?? 17);
  let connection: DashboardConnection | undefined;
  let generation = 0;
  let closed = false;
  let started = false;
  /** Optional-tool reads wait for the first tools/list. */
  let capabilitiesKnown = false;
  const timers: NodeJS.Timeout[] = [];
  let retry: { timer: NodeJS.Timeout; resolve: () => void } | undefined;

  let markReady: () => void = () => undefined;
  /** Resolves when the first tasks are in, or the first connection attempt failed: something to show. */
  const firstData = new Promise<void>(resolve => {
    markReady = resolve;
  });
  const set = (patch: Partial<DashboardState>): void => {
    state = { ...state, ...patch };
    if (state.tasksLoaded || state.connection.error !== undefined) markReady();
    frame.request();
  };
  const setDetail = (taskId: string, patch: Partial<DetailState>): void => {
    if (state.detail?.taskId !== taskId) return;
    set({ detail: { ...state.detail, ...patch } });
  };
  const notify = (kind: 'info' | 'error', text: string): void => set({ notice: { kind, text, at: now() } });

  /** Every read goes through here: a lost server starts a reconnect instead of a notice per failure. */
  const failed = (error: unknown): void => {
    if (closed) return;
    if (unreachable(error)) {
      lost(describeError(error));
      return;
    }
    notify('error', describeError(error));
  };

  const client = () => {
    if (!connection) throw new AppError('UNAVAILABLE', 'not connected to the server');
    return connection.client;
  };

  const {
    tasks,
    status,
    cost,
    detail,
    checkpoints,
    all: refreshers,
  } = createRefreshers({
    client,
    state: () => state,
    set,
    setDetail,
    capabilitiesKnown: () => capabilitiesKnown,
    failed,
    stats,
    now,
    firstPageSize: options.firstPageSize ?? 100,
  });

  const watchedUris = (): string[] => {
    const uris: string[] = [RESOURCE_URIS.tasks, RESOURCE_URIS.status];
    if (state.capabilities.tools.has('get_cost_summary')) uris.push(RESOURCE_URIS.cost);
    if (state.detail) uris.push(taskUri(state.detail.taskId), taskEventsUri(state.detail.taskId));
    return uris;
  };

  const updateWatch = async (): Promise<void> => {
    const current = connection;
    if (!current) return;
    await current.live.watch(watchedUris());
  };

  const onUpdated = (uri: string): void => {
    stats.notifications += 1;
    if (uri === RESOURCE_URIS.tasks) {
      tasks.request();
      cost.request();
    } else if (uri === RESOURCE_URIS.status) {
      status.request();
    } else if (uri === RESOURCE_URIS.cost) {
      cost.request();
    } else if (
      state.detail &&
      (uri === taskUri(state.detail.taskId) || uri === taskEventsUri(state.detail.taskId))
    ) {
      detail.request();
      checkpoints.request();
    }
  };

  const refreshAll = (): void => {
    tasks.request();
    status.request();
    cost.request();
    if (state.detail) {
      detail.request();
      checkpoints.request();
    }
  };

  const lost = (reason: string): void => {
    if (closed || !connection) return;
    const old = connection;
    connection = undefined;
    generation += 1;
    void old.close().catch(() => undefined);
    set({ connection: { ...state.connection, phase: 'reconnecting', error: reason } });
    void connectLoop();
  };

  const connectLoop = async (): Promise<void> => {
    for (let attempt = 0; !closed; attempt += 1) {
      const mine = generation;
      const events: ConnectionEvents = {
        onUpdated: uri => {
          if (generation === mine) onUpdated(uri);
        },
        onLost: reason => {
          if (generation === mine) lost(reason);
        },
      };
      try {
        const opened = await options.connect(events);
        if (closed) {
          await opened.close();
          return;
        }
        connection = opened;
        set({ connection: { ...state.connection, url: opened.url, era: opened.era, error: undefined } });
        // The task list first: it is what the first frame shows. Tools and the update channel follow once it
        // is in (their answers would only compete with it for the CPU); one more read after the watch is
        // acknowledged catches a change made in between. "Live" means that: updates are being heard.
        refreshAll();
        await Promise.race([firstData, new Promise(resolve => setTimeout(resolve, 500))]);
        const capabilities = discoverCapabilities(opened.client).then(found => {
          capabilitiesKnown = true;
          set({ capabilities: found });
          cost.request();
          if (state.detail) checkpoints.request();
        });
        await Promise.all([capabilities, updateWatch()]);
        if (generation !== mine) return; // lost meanwhile: a newer attempt owns the connection
        set({ connection: { ...state.connection, phase: 'live', error: undefined } });
        refreshAll();
        return;
      } catch (error) {
        if (closed || generation !== mine) return; // a newer attempt (after a loss) owns the connection
        const refused =
          isAppError(error) && (error.code === 'UNAUTHORIZED' || error.code === 'INVALID_INPUT');
        set({
          connection: {
            ...state.connection,
            phase: state.connection.phase === 'connecting' && attempt === 0 ? 'connecting' : 'reconnecting',
            error: describeError(error),
          },
        });
        if (connection) {
          const broken = connection;
          connection = undefined;
          generation += 1;
          await broken.close().catch(() => undefined);
        }
        const delay = refused
          ? 10_000
          : (RECONNECT_DELAYS_MS[Math.min(attempt, RECONNECT_DELAYS_MS.length - 1)] ?? 4000);
        await new Promise<void>(resolve => {
          retry = { timer: setTimeout(resolve, delay), resolve };
        });
        retry = undefined;
      }
    }
  };

  const actions = createTaskActions({
    client,
    workspace: options.workspace,
    notify,
    afterChange: () => tasks.request(),
    title: id => state.tasks.find((task: TaskSummary) => task.id === id)?.title,
  });

  return {
    ...actions,
    getState: () => state,
    ready: () => firstData,
    stats: () => ({ ...stats }),
    notify,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {
      if (started) return;
      started = true;
      timers.push(setInterval(() => set({ now: now() }), 1000));
      timers.push(setInterval(() => status.request(), options.statusPollMs ?? 10_000));
      void connectLoop();
    },
    openDetail(taskId) {
      if (state.detail?.taskId === taskId) return;
      set({
        detail: {
          taskId,
          task: undefined,
          events: [],
          eventsTruncated: false,
          checkpoints:
            capabilitiesKnown && !state.capabilities.tools.has('list_checkpoints')
              ? { state: 'unavailable' }
              : { state: 'loading' },
          error: undefined,
        },
      });
      void updateWatch().catch(failed);
      detail.request();
      checkpoints.request();
    },
    closeDetail() {
      if (!state.detail) return;
      set({ detail: undefined });
      void updateWatch().catch(failed);
    },
    async settled() {
      for (let round = 0; round < 5; round += 1) {
        await Promise.all(refreshers.map(refresher => refresher.idle()));
      }
    },
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      if (retry) {
        clearTimeout(retry.timer);
        retry.resolve();
      }
      for (const refresher of refreshers) refresher.cancel();
      frame.cancel();
      const current = connection;
      connection = undefined;
      await current?.close().catch(() => undefined);
    },
  };
}
