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

export type RunStarts = ReturnType<typeof createRunStarts>;

export function createRunStarts(db: Db) {
  const last = (statuses: string) =>
    db.prepare(
      `SELECT data FROM task_events WHERE task_id = ? AND type = 'status' AND to_status IN (${statuses})
       ORDER BY seq DESC LIMIT 1`,
    );
  const lastRunning = last("'RUNNING'");
  const newestJournalGeneration = db
    .prepare('SELECT coalesce(max(generation), 0) FROM agent_journal WHERE task_id = ?')
    .pluck();
  const lastQueued = last("'PENDING', 'RETRYING'");
  const data = (
    statement: ReturnType<Db['prepare']>,
    taskId: string,
  ): Record<string, unknown> | undefined => {
    const row = statement.get(taskId) as { data: string | null } | undefined;
    if (!row?.data) return undefined;
    try {
      return JSON.parse(row.data) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  };

  /** The generation the last run worked on (0 before the first run). */
  function currentGeneration(taskId: string): number {
    const previous = data(lastRunning, taskId);
    if (typeof previous?.generation === 'number') return previous.generation;
    // Retention (retention.task_events) may have removed the events of a FAILED task; its journal, which
    // retention keeps while the task can resume, still says which generation it was on.
    return newestJournalGeneration.get(taskId) as number;
  }

  function runStart(taskId: string): RunStart {
    const current = currentGeneration(taskId);
    const queued = data(lastQueued, taskId);
    const fresh = current === 0 || (queued?.manual === true && queued.resume !== true);
    const choice = queued?.unfinished_call;
    return {
      generation: fresh ? current + 1 : current,
      unfinishedCall: choice === 'assume_done' || choice === 'rerun' ? choice : 'stop',
    };
  }

  return { currentGeneration, runStart };
}
