/** Filtering and sorting the task table. Pure, so the table can memoise it and tests can pin it down. */
import type { TaskSummary } from '../../protocol/task.js';

export const SORT_KEYS = ['created', 'updated', 'status', 'cost', 'steps', 'title'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface SortOrder {
  key: SortKey;
  descending: boolean;
}

export const DEFAULT_SORT: SortOrder = { key: 'created', descending: true };

/** Where each status goes when sorting by status: what needs attention first. */
const STATUS_RANK: Record<string, number> = {
  RUNNING: 0,
  RETRYING: 1,
  PENDING: 2,
  INITIALIZED: 3,
  FAILED: 4,
  CANCELLED: 5,
  COMPLETED: 6,
  FINALIZED: 7,
};

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function comparator(key: SortKey): (a: TaskSummary, b: TaskSummary) => number {
  switch (key) {
    case 'created':
      return (a, b) => compareText(a.created_at, b.created_at);
    case 'updated':
      return (a, b) => compareText(a.updated_at, b.updated_at);
    case 'status':
      // Descending puts what needs attention (running) on top.
      return (a, b) => (STATUS_RANK[b.status] ?? 9) - (STATUS_RANK[a.status] ?? 9);
    case 'cost':
      return (a, b) => a.cost_micro_usd - b.cost_micro_usd;
    case 'steps':
      return (a, b) => a.steps - b.steps;
    case 'title':
      // Descending is A→Z for titles: what a reader expects first.
      return (a, b) => b.title.localeCompare(a.title);
  }
}

/**
 * Every space-separated word must match the task's title, id (prefix), status or model, case-insensitively:
 * `fail report` finds failed tasks whose title mentions a report.
 */
export function matchesFilter(task: TaskSummary, words: readonly string[]): boolean {
  return words.every(word => {
    if (task.id.toLowerCase().startsWith(word)) return true;
    if (task.status.toLowerCase().includes(word)) return true;
    if (task.model?.toLowerCase().includes(word)) return true;
    return task.title.toLowerCase().includes(word);
  });
}

export function filterWords(filter: string): string[] {
  return filter.toLowerCase().split(/\s+/).filter(Boolean);
}

/** The rows of the table: filtered, then sorted stably (ties keep the server's newest-first order). */
export function queryTasks(
  tasks: readonly TaskSummary[],
  filter: string,
  sort: SortOrder,
): readonly TaskSummary[] {
  const words = filterWords(filter);
  const rows = words.length === 0 ? tasks.slice() : tasks.filter(task => matchesFilter(task, words));
  if (sort.key === 'created' && sort.descending) return rows;
  const compare = comparator(sort.key);
  const direction = sort.descending ? -1 : 1;
  const indexed = rows.map((task, index) => ({ task, index }));
  indexed.sort((a, b) => direction * compare(a.task, b.task) || a.index - b.index);
  return indexed.map(entry => entry.task);
}

export function nextSortKey(key: SortKey): SortKey {
  return SORT_KEYS[(SORT_KEYS.indexOf(key) + 1) % SORT_KEYS.length] as SortKey;
}
