/**
 * What one run of a task works with: its stores, its gateway and hub, its signals, and `record`, which writes
 * journal rows, ledger entries and task events together (in the next group commit) after checking that this
 * process still holds the task's lease (a process that lost its lease must not write for the task any more).
 */
import { AppError } from '../../protocol/errors.js';
import { RESOURCE_URIS, taskEventsUri } from '../../protocol/resources.js';
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
  /**
   * Runs `work` in the next group commit if this process still holds the lease (rejects with LeaseLostError
   * if not). Writes deferred with `recordLater` go first, in the same transaction.
   */
  record<T>(work: () => T): Promise<T>;
  /**
   * Defers a write to the next `record` (one commit instead of two). Only for records that may be lost in a
   * crash without harm before that next record: a model reply before its first tool call is journaled, or the
   * result of a call that is safe to repeat.
   */
  recordLater(work: () => void): void;
  /** Writes deferred records now, if there are any (best effort: a lost lease drops them). */
  flushLater(): Promise<void>;
  /** Appends a task event (call inside `record`). */
  event(type: string, data: Record<string, unknown>): void;
  /** Counts one finished agent step on the task (call inside `record`). */
  countStep(): void;
}

/** The lease is gone: the task was cancelled, or another process took it over. */
export class LeaseLostError extends Error {
  constructor(readonly status: string) {
    super(`this process no longer holds the task (now ${status})`);
    this.name = 'LeaseLostError';
  }
}

export type Recorder = Pick<RunContext, 'record' | 'recordLater' | 'flushLater' | 'event' | 'countStep'>;

/**
 * The recorder's statements, prepared once per runtime. Events are written here rather than through the task
 * store's appendEvent: an agent step writes several, and the store's version re-reads the task and the event
 * for a return value the agent does not need.
 */
export function createRecorderStatements(core: Core) {
  return {
    check: core.db.prepare('SELECT status, lease_owner FROM tasks WHERE id = ?'),
    insertEvent: core.db.prepare(
      'INSERT INTO task_events (task_id, type, from_status, to_status, data, created_at) VALUES (?, ?, NULL, NULL, ?, ?)',
    ),
    countStep: core.db.prepare('UPDATE tasks SET steps = steps + 1, updated_at = ? WHERE id = ?'),
  };
}

export function createRecorder(
  core: Core,
  writes: RelaxedWrites,
  taskId: string,
  owner: string,
  statements: ReturnType<typeof createRecorderStatements> = createRecorderStatements(core),
): Recorder {
  const { check, insertEvent, countStep } = statements;
  const eventsUri = taskEventsUri(taskId);
  let deferred: (() => void)[] = [];
  return {
    record<T>(work: () => T): Promise<T> {
      const checkLease = (): void => {
        const row = check.get(taskId) as { status: string; lease_owner: string | null } | undefined;
        if (!row || row.status !== 'RUNNING' || row.lease_owner !== owner)
          throw new LeaseLostError(row?.status ?? 'deleted');
      };
      const earlier = deferred;
      deferred = [];
      // Deferred writes get their own savepoint in the same commit: `work` failing (a budget refusal) must
      // not take them down with it.
      if (earlier.length > 0) {
        writes
          .batch(() => {
            checkLease();
            for (const write of earlier) write();
          })
          .catch(() => undefined);
      }
      return writes.batch(() => {
        checkLease();
        return work();
      });
    },
    recordLater(work) {
      deferred.push(work);
    },
    async flushLater() {
      if (deferred.length === 0) return;
      await this.record(() => undefined).catch(() => undefined);
    },
    event(type, data) {
      // tasks.updated_at moves with every step (countStep) and status change, not with every event.
      insertEvent.run(taskId, type, JSON.stringify(data), Date.now());
      core.feed.publish(eventsUri);
      core.feed.publishAggregate(RESOURCE_URIS.tasks);
    },
    countStep() {
      countStep.run(Date.now(), taskId);
    },
  };
}

export function cancelledError(): AppError {
  return new AppError('CANCELLED', 'the task was cancelled');
}
