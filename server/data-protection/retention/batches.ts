/**
 * Deleting in small transactions: each batch is one short BEGIN IMMEDIATE, and the event loop turns between
 * batches, so a large prune never holds the write lock (or the daemon) for long.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { writeTransaction, type Db } from '../../store/database.js';
import type { PruneContext } from './retention-target.js';

export const BATCH_SIZE = 500;

export interface BatchPlan<Id> {
  /** How many rows the policy selects (for dry runs and reports). */
  count(): number;
  /** Up to `limit` ids of selected rows. */
  select(limit: number): Id[];
  /** Deletes these rows (inside the batch's transaction). */
  remove(ids: readonly Id[]): void;
}

/** Runs a plan: counts on a dry run, otherwise deletes batch by batch. Returns [matched, deleted]. */
export async function pruneInBatches<Id>(
  db: Db,
  plan: BatchPlan<Id>,
  context: PruneContext,
  batchSize = BATCH_SIZE,
): Promise<[number, number]> {
  const matched = plan.count();
  if (context.dryRun || matched === 0) return [matched, 0];
  let deleted = 0;
  while (!context.signal.aborted) {
    const removed = writeTransaction(db, () => {
      const ids = plan.select(batchSize);
      if (ids.length > 0) plan.remove(ids);
      return ids.length;
    });
    deleted += removed;
    if (removed < batchSize) break;
    await nextTurn();
  }
  return [matched, deleted];
}
