/**
 * Retention targets for the task store: events of finished tasks, and finished tasks themselves.
 *
 * Only tasks that have settled (COMPLETED, FAILED, CANCELLED, FINALIZED) are touched: a queued or running
 * task keeps every event, whatever the policy says. Deleting a task deletes its events and its agent journal
 * with it (ON DELETE CASCADE); its cost ledger rows stay, detached from it (ON DELETE SET NULL), so spend
 * totals and budgets never shrink when old tasks go. (A FAILED task's journal is what `az task resume` reads;
 * the journal targets of server/agent/journal-retention.ts keep it, and resume finds the generation to
 * continue in the journal when these events are gone.)
 */
import { RESOURCE_URIS } from '../../../protocol/resources.js';
import { SETTLED_STATUSES } from '../../../protocol/task.js';
import type { Core } from '../../core.js';
import { pruneByPolicy } from './batches.js';
import { describePolicy, type RetentionTarget } from './retention-target.js';

const SETTLED = SETTLED_STATUSES.map(status => `'${status}'`).join(', ');

export function taskEventsTarget(core: Core): RetentionTarget {
  const { db } = core;
  const nthNewest = db.prepare('SELECT seq FROM task_events ORDER BY seq DESC LIMIT 1 OFFSET ?').pluck();
  const where = `task_id IN (SELECT id FROM tasks WHERE status IN (${SETTLED}))
    AND (created_at < @cutoff OR seq <= @beyond)`;
  const count = db.prepare(`SELECT count(*) FROM task_events WHERE ${where}`).pluck();
  const select = db.prepare(`SELECT seq FROM task_events WHERE ${where} ORDER BY seq LIMIT @limit`).pluck();
  return {
    name: 'task_events',
    description: 'events (the log) of finished tasks; live tasks keep all of theirs',
    async prune(policy, context) {
      const [matched, deleted] = await pruneByPolicy<number>(
        db,
        {
          nthNewest,
          count,
          select,
          remove: ids => {
            db.prepare(`DELETE FROM task_events WHERE seq IN (${ids.map(() => '?').join(',')})`).run(...ids);
          },
        },
        policy,
        context,
      );
      if (deleted > 0) core.feed.publishAggregate(RESOURCE_URIS.tasks);
      return { matched, deleted, detail: describePolicy(policy, 'events of finished tasks') };
    },
  };
}

export function finishedTasksTarget(core: Core): RetentionTarget {
  const { db } = core;
  const nthNewest = db
    .prepare(`SELECT seq FROM tasks WHERE status IN (${SETTLED}) ORDER BY seq DESC LIMIT 1 OFFSET ?`)
    .pluck();
  const where = `status IN (${SETTLED}) AND (coalesce(finished_at, updated_at) < @cutoff OR seq <= @beyond)`;
  const count = db.prepare(`SELECT count(*) FROM tasks WHERE ${where}`).pluck();
  const select = db.prepare(`SELECT id FROM tasks WHERE ${where} ORDER BY seq LIMIT @limit`).pluck();
  return {
    name: 'finished_tasks',
    description: 'finished tasks with everything stored for them; live tasks are never deleted',
    async prune(policy, context) {
      const [matched, deleted] = await pruneByPolicy<string>(
        db,
        {
          nthNewest,
          count,
          select,
          remove: ids => {
            db.prepare(`DELETE FROM tasks WHERE id IN (${ids.map(() => '?').join(',')})`).run(...ids);
          },
        },
        policy,
        context,
        100,
      );
      if (deleted > 0) {
        core.feed.publishAggregate(RESOURCE_URIS.tasks);
        core.feed.publishAggregate(RESOURCE_URIS.status);
      }
      return { matched, deleted, detail: describePolicy(policy, 'finished tasks') };
    },
  };
}
