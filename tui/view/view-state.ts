/**
 * What the user is looking at: the view, the selected task, filter, sort, the step-log cursor and any open
 * dialog. A pure reducer over commands, so key handling is tested without a terminal.
 */
import type { TaskSummary } from '../../protocol/task.js';
import { DEFAULT_SORT, nextSortKey, type SortOrder } from './task-query.js';

export type Tab = 'tasks' | 'cost' | 'system';

export type Dialog =
  | { kind: 'none' }
  | { kind: 'filter'; draft: string }
  | { kind: 'prompt'; draft: string }
  | { kind: 'confirm-cancel'; taskId: string; title: string }
  /** resume_task stopped at a tool call whose result was lost: did it take effect? */
  | { kind: 'unfinished-call'; taskId: string; title: string; summary: string }
  | { kind: 'help' };

export interface ViewState {
  tab: Tab;
  /** The task whose detail view is open. */
  detailId: string | undefined;
  /** Selection follows the task, not the row, when the list reorders. */
  selectedId: string | undefined;
  /** Where the selection was, to land nearby when the selected task leaves the list (filter, sort). */
  selectedIndex: number;
  filter: string;
  sort: SortOrder;
  /** Step-log cursor in the detail view; 'follow' stays on the newest step. */
  logCursor: number | 'follow';
  dialog: Dialog;
}

export const INITIAL_VIEW: ViewState = {
  tab: 'tasks',
  detailId: undefined,
  selectedId: undefined,
  selectedIndex: 0,
  filter: '',
  sort: DEFAULT_SORT,
  logCursor: 'follow',
  dialog: { kind: 'none' },
};

/** The index of the selection in `rows` (clamped; the remembered index when the task is gone). */
export function selectionIndex(view: ViewState, rows: readonly TaskSummary[]): number {
  if (rows.length === 0) return 0;
  if (view.selectedId !== undefined) {
    const found = rows.findIndex(task => task.id === view.selectedId);
    if (found >= 0) return found;
  }
  return Math.min(Math.max(0, view.selectedIndex), rows.length - 1);
}

export function selectedTask(view: ViewState, rows: readonly TaskSummary[]): TaskSummary | undefined {
  return rows[selectionIndex(view, rows)];
}

export function selectAt(view: ViewState, rows: readonly TaskSummary[], index: number): ViewState {
  if (rows.length === 0) return { ...view, selectedId: undefined, selectedIndex: 0 };
  const clamped = Math.min(Math.max(0, index), rows.length - 1);
  return { ...view, selectedId: rows[clamped]?.id, selectedIndex: clamped };
}

export function moveLog(view: ViewState, eventCount: number, delta: number | 'first' | 'last'): ViewState {
  if (eventCount === 0) return view;
  const last = eventCount - 1;
  const current = view.logCursor === 'follow' ? last : Math.min(view.logCursor, last);
  if (delta === 'last') return { ...view, logCursor: 'follow' };
  const next = delta === 'first' ? 0 : Math.min(Math.max(0, current + delta), last);
  return { ...view, logCursor: next === last && delta !== 'first' ? 'follow' : next };
}

export function cycleSort(view: ViewState): ViewState {
  return { ...view, sort: { key: nextSortKey(view.sort.key), descending: true } };
}

export function reverseSort(view: ViewState): ViewState {
  return { ...view, sort: { ...view.sort, descending: !view.sort.descending } };
}

export function withSort(view: ViewState, sort: SortOrder): ViewState {
  return { ...view, sort };
}
