/**
 * Recovering tasks whose process died: a RUNNING task whose lease expired, or whose owner is a dead process
 * on this host. Its open reservations are closed (cost unknown), and it becomes FAILED — with NEEDS_ATTENTION
 * when a call that is not safe to repeat lost its result, else INTERRUPTED, retried automatically (resuming
 * from the journal) while attempts remain.
 */
import { AppError } from '../../protocol/errors.js';
import type { Core } from '../core.js';
import type { CostLedger } from '../cost/ledger.js';
import type { RelaxedWrites } from '../store/relaxed-writes.js';
import type { TaskRow } from '../tasks/task-rows.js';
import { needsAttentionError } from './attention.js';
import type { Journal } from './journal.js';
import { leaseHeld } from './leases.js';
import { replayJournal, unsafeUnfinished } from './replay.js';
import type { RunStarts } from './run-start.js';

export interface RecoveryDeps {
  core: Core;
  journal: Journal;
  ledger: CostLedger;
  writes: RelaxedWrites;
  now: () => number;
  /** This process's owner id: its own tasks are never "interrupted". */
  owner: string;
  runStarts: RunStarts;
}

export function isInterrupted(row: TaskRow, deps: Pick<RecoveryDeps, 'now' | 'owner'>): boolean {
  return (
    row.status === 'RUNNING' &&
    row.lease_owner !== deps.owner &&
    !leaseHeld(row.lease_owner, row.lease_expires_at, deps.now())
  );
}

/** Recovers one interrupted task; `autoRetry` false leaves it FAILED (resume_task continues it at once). */
export function recoverTask(deps: RecoveryDeps, observed: TaskRow, autoRetry: boolean): boolean {
  const { core, journal } = deps;
  const generation = Math.max(1, deps.runStarts.currentGeneration(observed.id));
  const unsafe = unsafeUnfinished(replayJournal(journal.entries(observed.id, generation)));
  const [first] = unsafe;
  return deps.writes.write(() => {
    const row = core.taskStore.getRow(observed.id);
    if (row.status !== 'RUNNING' || row.lease_owner !== observed.lease_owner) return false;
    deps.ledger.interrupt({ taskId: row.id }, 'the process running the task stopped during the call');
    const by = row.lease_owner ?? 'an unknown process';
    const base = { lease_owner: null, lease_expires_at: null };
    if (first) {
      const error = needsAttentionError(row.id, row.workspace, first).toPayload();
      core.taskStore.transition(row.id, 'FAILED', {
        patch: { ...base, error, finished_at: deps.now() },
        data: { reason: 'interrupted', owner: by, error },
      });
      return true;
    }
    const error = new AppError(
      'INTERRUPTED',
      `the process running the task (${by}) stopped before it finished`,
      {
        hint: `Continue it from its last recorded step with \`az task resume ${row.id}\`.`,
      },
    ).toPayload();
    if (autoRetry && row.attempts < row.max_attempts) {
      core.taskStore.transition(row.id, ['FAILED', 'RETRYING'], {
        patch: { ...base, error, not_before: null },
        data: { reason: 'interrupted', owner: by, auto: true, resume: true },
      });
    } else {
      core.taskStore.transition(row.id, 'FAILED', {
        patch: { ...base, error, finished_at: deps.now() },
        data: { reason: 'interrupted', owner: by, error },
      });
    }
    return true;
  });
}

/** Recovers every interrupted task of the home; returns how many. */
export function recoverInterrupted(deps: RecoveryDeps): number {
  const rows = deps.core.db.prepare("SELECT * FROM tasks WHERE status = 'RUNNING'").all() as TaskRow[];
  let recovered = 0;
  for (const row of rows) {
    if (!isInterrupted(row, deps)) continue;
    try {
      if (recoverTask(deps, row, true)) recovered += 1;
    } catch (error) {
      console.error(`recovering task ${row.id} failed:`, error);
    }
  }
  return recovered;
}
