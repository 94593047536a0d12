/**
 * Keeping the dashboard's copy of the task list equal to the server's: a full, paged list_tasks read per
 * refresh (1,000 tasks is five pages and a few milliseconds), with unchanged tasks keeping their object
 * identity so rows that did not change are not drawn again.
 */
import type { DashboardClient } from './connection.js';
import type { TaskSummary } from '../../protocol/task.js';
import { LIST_TASKS_MAX_LIMIT, listTasksTool } from '../../protocol/tools/task-tools.js';

/** The dashboard holds at most this many tasks (the newest); the header says when there are more. */
export const MAX_TASKS = 5000;

export interface TaskPage {
  tasks: readonly TaskSummary[];
  /** More tasks exist on the server than MAX_TASKS. */
  truncated: boolean;
}

function sameSummary(a: TaskSummary, b: TaskSummary): boolean {
  return (
    a.updated_at === b.updated_at &&
    a.status === b.status &&
    a.steps === b.steps &&
    a.cost_micro_usd === b.cost_micro_usd &&
    a.attempts === b.attempts &&
    a.title === b.title &&
    a.model === b.model &&
    a.priority === b.priority &&
    a.error_code === b.error_code
  );
}

/** Reuses objects of `previous` for tasks that did not change; returns `previous` itself when nothing did. */
export function shareUnchanged(
  previous: readonly TaskSummary[],
  next: readonly TaskSummary[],
): readonly TaskSummary[] {
  const byId = new Map(previous.map(task => [task.id, task]));
  let changed = previous.length !== next.length;
  const merged = next.map((task, index) => {
    const old = byId.get(task.id);
    if (old && sameSummary(old, task)) {
      if (previous[index] !== old) changed = true;
      return old;
    }
    changed = true;
    return task;
  });
  return changed ? merged : previous;
}

/**
 * Reads every task (newest first, up to MAX_TASKS). `onFirstPage` gets the first page as soon as it arrives,
 * so the first frame does not wait for the whole list.
 */
export async function readAllTasks(
  client: DashboardClient,
  options: { firstPageSize?: number; onFirstPage?: (tasks: readonly TaskSummary[]) => void } = {},
): Promise<TaskPage> {
  const tasks: TaskSummary[] = [];
  let cursor: string | undefined;
  let first = true;
  for (;;) {
    const limit = first && options.firstPageSize ? options.firstPageSize : LIST_TASKS_MAX_LIMIT;
    const page = await client.call(listTasksTool, cursor === undefined ? { limit } : { limit, cursor });
    tasks.push(...page.tasks);
    if (first) options.onFirstPage?.(tasks.slice());
    first = false;
    if (page.next_cursor === null) return { tasks, truncated: false };
    if (tasks.length >= MAX_TASKS) return { tasks: tasks.slice(0, MAX_TASKS), truncated: true };
    cursor = page.next_cursor;
  }
}
