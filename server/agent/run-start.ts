/**
 * What a run starts from, read from the status event that queued the task: which journal generation it
 * continues (a manual retry starts a new one; resume, automatic retries and give-backs continue the last) and
 * what to do with a call whose result was lost (resume_task's unfinished_call).
 */
import type { UnfinishedCallChoice } from '../../protocol/tools/agent-tools.js';
import type { Db } from '../store/database.js';

export interface RunStart {
  generation: number;
  unfinishedCall: UnfinishedCallChoice;
}

function lastStatusData(
  db: Db,
  taskId: string,
  statuses: readonly string[],
): Record<string, unknown> | undefined {
  const row = db
    .prepare(
      `SELECT data FROM task_events WHERE task_id = ? AND type = 'status' AND to_status IN (${statuses.map(() => '?').join(', ')})
       ORDER BY seq DESC LIMIT 1`,
    )
    .get(taskId, ...statuses) as { data: string | null } | undefined;
  if (!row?.data) return undefined;
  try {
    return JSON.parse(row.data) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The generation the last run worked on (0 before the first run). */
export function currentGeneration(db: Db, taskId: string): number {
  const previous = lastStatusData(db, taskId, ['RUNNING']);
  return typeof previous?.generation === 'number' ? previous.generation : 0;
}

export function runStart(db: Db, taskId: string): RunStart {
  const current = currentGeneration(db, taskId);
  const queued = lastStatusData(db, taskId, ['PENDING', 'RETRYING']);
  const fresh = current === 0 || (queued?.manual === true && queued.resume !== true);
  const choice = queued?.unfinished_call;
  return {
    generation: fresh ? current + 1 : current,
    unfinishedCall: choice === 'assume_done' || choice === 'rerun' ? choice : 'stop',
  };
}
