/**
 * What one run of a task works with: its stores, its gateway and hub, its signals, and `record`, which writes
 * journal rows, ledger entries and task events in one transaction after checking that this process still
 * holds the task's lease (a process that lost its lease must not write for the task any more).
 */
import { AppError } from '../../protocol/errors.js';
import type { Task } from '../../protocol/task.js';
import type { Config } from '../config/schema.js';
import type { Core } from '../core.js';
import type { CostLedger } from '../cost/ledger.js';
import type { PriceLookup } from '../cost/prices.js';
import type { LlmGateway } from '../llm/gateway.js';
import type { RelaxedWrites } from '../store/relaxed-writes.js';
import type { Journal } from './journal.js';
import type { RepeatTracker } from './repeat-tracker.js';
import type { ToolHub } from './tool-hub.js';
import type { ChatMessage } from '../llm/types.js';

export interface RunSignals {
  /** Aborted on cancel and at once on shutdown: model calls are always safe to redo. */
  llm: AbortSignal;
  /** Aborted on cancel; on shutdown only after a grace period, so a running tool can finish. */
  tools: AbortSignal;
}

export interface RunContext {
  core: Core;
  task: Task;
  owner: string;
  generation: number;
  attempt: number;
  config: Config;
  journal: Journal;
  ledger: CostLedger;
  gateway: LlmGateway;
  prices: PriceLookup;
  writes: RelaxedWrites;
  hub: ToolHub;
  signals: RunSignals;
  messages: ChatMessage[];
  repeats: RepeatTracker;
  /** The last finished step number (LLM calls in this generation). */
  step: number;
  /** Steps taken in this run (the step cap counts per run, so a resumed task gets a fresh allowance). */
  stepsThisRun: number;
  /** Runs `work` in one transaction if this process still holds the lease. */
  record<T>(work: () => T): T;
  /** Appends a task event (call inside `record`). */
  event(type: string, data: Record<string, unknown>): void;
}

/** The lease is gone: the task was cancelled, or another process took it over. */
export class LeaseLostError extends Error {
  constructor(readonly status: string) {
    super(`this process no longer holds the task (now ${status})`);
    this.name = 'LeaseLostError';
  }
}

export function createRecorder(
  core: Core,
  writes: RelaxedWrites,
  taskId: string,
  owner: string,
): Pick<RunContext, 'record' | 'event'> {
  const check = core.db.prepare('SELECT status, lease_owner FROM tasks WHERE id = ?');
  return {
    record<T>(work: () => T): T {
      return writes.write(() => {
        const row = check.get(taskId) as { status: string; lease_owner: string | null } | undefined;
        if (!row || row.status !== 'RUNNING' || row.lease_owner !== owner) throw new LeaseLostError(row?.status ?? 'deleted');
        return work();
      });
    },
    event(type, data) {
      core.taskStore.appendEvent(taskId, type, data);
    },
  };
}

export function cancelledError(): AppError {
  return new AppError('CANCELLED', 'the task was cancelled');
}
