/** The dashboard's state: one immutable snapshot, replaced on every change and read by the views. */
import type { Role } from '../../protocol/tool-contract.js';
import type { Task, TaskEvent, TaskSummary } from '../../protocol/task.js';
import type { Status } from '../../protocol/tools/system-tools.js';
import { NO_CAPABILITIES, type Capabilities } from './capabilities.js';
import type { CheckpointInfo } from '../../protocol/tools/checkpoint-tools.js';
import type { CostView } from './cost-sync.js';

export type ConnectionPhase = 'connecting' | 'live' | 'reconnecting';

export interface ConnectionState {
  phase: ConnectionPhase;
  url: string | undefined;
  era: 'modern' | 'legacy' | undefined;
  /** Why the last attempt failed, while reconnecting. */
  error: string | undefined;
}

/** A value read from an optional tool: absent on this server, loading, read, or failed. */
export type Optional<T> =
  | { state: 'unavailable' }
  | { state: 'loading' }
  | { state: 'ready'; value: T }
  | { state: 'error'; message: string };

export interface DetailState {
  taskId: string;
  task: Task | undefined;
  events: readonly TaskEvent[];
  /** Older events exist than the ones held. */
  eventsTruncated: boolean;
  checkpoints: Optional<readonly CheckpointInfo[]>;
  error: string | undefined;
}

export interface Notice {
  kind: 'info' | 'error';
  text: string;
  at: number;
}

export interface DashboardState {
  connection: ConnectionState;
  caller: { name: string; role: Role } | undefined;
  capabilities: Capabilities;
  /** Newest first, as the server lists them. */
  tasks: readonly TaskSummary[];
  tasksLoaded: boolean;
  tasksTruncated: boolean;
  status: Status | undefined;
  cost: Optional<CostView>;
  detail: DetailState | undefined;
  notice: Notice | undefined;
  /** The clock the views use for ages (ticks once a second). */
  now: number;
}

/**
 * Live-update counters, shown in the system panel. Kept out of the state on purpose: they change with every
 * notification, and a change nobody sees must not cost a frame.
 */
export interface LiveStats {
  notifications: number;
  refreshes: number;
  /** Round trip of the last full list read, in ms. */
  lastListMs: number | undefined;
}

export function initialState(now: number): DashboardState {
  return {
    connection: {
      phase: 'connecting',
      url: undefined,
      era: undefined,
      error: undefined,
    },
    caller: undefined,
    capabilities: NO_CAPABILITIES,
    tasks: [],
    tasksLoaded: false,
    tasksTruncated: false,
    status: undefined,
    cost: { state: 'loading' },
    detail: undefined,
    notice: undefined,
    now,
  };
}
