/**
 * Deleting in small transactions: each batch is one short BEGIN IMMEDIATE, and the event loop turns between
 * batches, so a large prune never holds the write lock (or the daemon) for long.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { writeTransaction, type Db } from '../../store/database.js';
import { policyBounds, type PruneContext, type RetentionPolicy } from './retention-target.js';

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

/** Prepared statements of a target bounded by policyBounds: count and select take @cutoff and @beyond. */
export interface PolicyQueries<Id> {
  /** The sequence at an offset from the newest row (for max_count). */
  nthNewest: { get(offset: number): unknown };
  count: { get(params: object): unknown };
  select: { all(params: object): unknown[] };
  remove(ids: readonly Id[]): void;
}

/** pruneInBatches over the rows a policy's age and count bounds select. Returns [matched, deleted]. */
export function pruneByPolicy<Id>(
  db: Db,
  queries: PolicyQueries<Id>,
  policy: RetentionPolicy,
  context: PruneContext,
  batchSize = BATCH_SIZE,
): Promise<[number, number]> {
  const params = policyBounds(policy, context.now, offset => queries.nthNewest.get(offset));
  return pruneInBatches(
    db,
    {
      count: () => queries.count.get(params) as number,
      select: limit => queries.select.all({ ...params, limit }) as Id[],
      remove: queries.remove,
    },
    context,
    batchSize,
  );
}
