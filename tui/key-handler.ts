/**
 * What a key does: view changes (pure, through view-state.ts) and task actions (store calls). It reads the
 * data of the frame the user is looking at, handed over on every render, so a key pressed just as new data
 * arrives acts on what is on screen.
 */
import type { Key } from 'ink';
import type { TaskSummary } from '../protocol/task.js';
import type { DashboardStore } from './data/dashboard-store.js';
import type { DashboardState } from './data/state.js';
import { commandFor, isTaskAction, type Command, type TaskAction } from './view/keymap.js';
import { editText } from './view/text-edit.js';
import {
  cycleSort,
  moveLog,
  reverseSort,
  selectAt,
  selectedTask,
  selectionIndex,
  type ViewState,
} from './view/view-state.js';

/** The tool each action calls: an action is disabled when the token may not call it. */
export const TOOL_FOR: Record<TaskAction, string> = {
  'new-task': 'create_task',
  cancel: 'cancel_task',
  retry: 'retry_task',
  'retry-from-start': 'retry_task',
};

/** Actions this token may not take: viewers may not write, and a tool the server does not list is absent. */
export function disabledActions(state: DashboardState): Set<TaskAction> {
  const disabled = new Set<TaskAction>();
  const viewer = state.caller?.role === 'viewer';
  for (const [action, tool] of Object.entries(TOOL_FOR) as [TaskAction, string][]) {
    const missing = state.capabilities.tools.size > 0 && !state.capabilities.tools.has(tool);
    const resumable = action === 'retry' && state.capabilities.tools.has('resume_task');
    if (viewer || (missing && !resumable)) disabled.add(action);
  }
  return disabled;
}

const CANCELLABLE = new Set(['RUNNING', 'PENDING', 'RETRYING', 'INITIALIZED']);
/** resume_task takes FAILED tasks, and RUNNING ones whose process died (the server tells them apart). */
const RESUMABLE = new Set(['FAILED', 'RUNNING']);

/** What the handler needs from the current frame. */
export interface KeyContext {
  view: ViewState;
  state: DashboardState;
  /** The table's rows as shown (filtered and sorted). */
  rows: readonly TaskSummary[];
  disabled: ReadonlySet<TaskAction>;
  /** Lines of the view area, for paging. */
  bodyHeight: number;
  store: DashboardStore;
  exit: () => void;
  /** For results that arrive later (the new task's id). */
  updateView: (change: (view: ViewState) => ViewState) => void;
}

function runAction(command: Command & { type: TaskAction }, context: KeyContext): ViewState {
  const { view, state, store } = context;
  if (context.disabled.has(command.type)) {
    store.notify(
      'error',
      state.caller?.role === 'viewer'
        ? 'this token is read-only (viewer): actions are disabled'
        : `the server does not offer ${TOOL_FOR[command.type]}`,
    );
    return view;
  }
  if (command.type === 'new-task') return { ...view, dialog: { kind: 'prompt', draft: '' } };
  const task = view.detailId
    ? state.tasks.find(candidate => candidate.id === view.detailId)
    : selectedTask(view, context.rows);
  if (!task) return view;
  if (command.type === 'cancel') {
    if (!CANCELLABLE.has(task.status)) {
      store.notify(
        'error',
        `'${task.title}' is ${task.status}: only queued or running tasks can be cancelled`,
      );
      return view;
    }
    return { ...view, dialog: { kind: 'confirm-cancel', taskId: task.id, title: task.title } };
  }
  const canResume = state.capabilities.tools.has('resume_task');
  if (command.type === 'retry' && canResume && RESUMABLE.has(task.status)) {
    void store.resumeTask(task.id).then(result => {
      if (typeof result !== 'object') return;
      // A call that may have taken effect lost its result: the user decides, in a dialog.
      context.updateView(latest => ({
        ...latest,
        dialog: {
          kind: 'unfinished-call',
          taskId: task.id,
          title: task.title,
          summary: result.unfinished.summary,
        },
      }));
    });
  } else if (task.status === 'FAILED') {
    void store.retryTask(task.id);
  } else {
    store.notify(
      'error',
      `'${task.title}' is ${task.status}: only FAILED tasks can be retried${canResume ? ' or resumed' : ''}`,
    );
  }
  return view;
}

function runCommand(command: Command, context: KeyContext): ViewState {
  if (isTaskAction(command)) return runAction(command, context);
  const { view, rows, store } = context;
  const inDetail = view.detailId !== undefined;
  const events = context.state.detail?.events.length ?? 0;
  const page = Math.max(1, context.bodyHeight - 2);
  switch (command.type) {
    case 'quit':
      context.exit();
      return view;
    case 'help':
      return { ...view, dialog: { kind: 'help' } };
    case 'tab':
      if (inDetail) store.closeDetail();
      return { ...view, tab: command.tab, detailId: undefined };
    case 'filter':
      return { ...view, dialog: { kind: 'filter', draft: view.filter } };
    case 'sort-next':
      return cycleSort(view);
    case 'sort-reverse':
      return reverseSort(view);
    case 'follow':
      return { ...view, logCursor: 'follow' };
    case 'open': {
      const task = selectedTask(view, rows);
      if (!task) return view;
      store.openDetail(task.id);
      return { ...view, detailId: task.id, logCursor: 'follow', selectedId: task.id };
    }
    case 'back':
      if (inDetail) {
        store.closeDetail();
        return { ...view, detailId: undefined };
      }
      return view.tab !== 'tasks' ? { ...view, tab: 'tasks' } : { ...view, filter: '' };
    case 'move':
      return inDetail
        ? moveLog(view, events, command.delta)
        : selectAt(view, rows, selectionIndex(view, rows) + command.delta);
    case 'page':
      return inDetail
        ? moveLog(view, events, command.direction * page)
        : selectAt(view, rows, selectionIndex(view, rows) + command.direction * page);
    case 'move-to':
      return inDetail
        ? moveLog(view, events, command.where)
        : selectAt(view, rows, command.where === 'first' ? 0 : rows.length - 1);
  }
}

function dialogKey(input: string, key: Key, context: KeyContext): ViewState {
  const { view, store } = context;
  const dialog = view.dialog;
  switch (dialog.kind) {
    case 'help':
      if (input === 'q' && !key.ctrl) context.exit();
      return { ...view, dialog: { kind: 'none' } };
    case 'confirm-cancel':
      if (input === 'y' || input === 'Y') void store.cancelTask(dialog.taskId);
      return { ...view, dialog: { kind: 'none' } };
    case 'unfinished-call':
      if (input === 'a') void store.resumeTask(dialog.taskId, 'assume_done');
      else if (input === 'r') void store.resumeTask(dialog.taskId, 'rerun');
      else store.notify('info', `'${dialog.title}' stays FAILED: press r again once you know`);
      return { ...view, dialog: { kind: 'none' } };
    case 'filter': {
      const edit = editText(dialog.draft, input, key, 200);
      if (edit.done === 'cancel') return { ...view, filter: '', dialog: { kind: 'none' } };
      if (edit.done === 'submit') return { ...view, filter: edit.draft, dialog: { kind: 'none' } };
      // The table filters as you type.
      return { ...view, filter: edit.draft, dialog: { kind: 'filter', draft: edit.draft } };
    }
    case 'prompt': {
      const edit = editText(dialog.draft, input, key);
      if (edit.done === 'cancel') return { ...view, dialog: { kind: 'none' } };
      if (edit.done !== 'submit') return { ...view, dialog: { kind: 'prompt', draft: edit.draft } };
      const prompt = edit.draft.trim();
      if (prompt) {
        void store.createTask(prompt).then(id => {
          if (id)
            context.updateView(latest => ({ ...latest, tab: 'tasks', selectedId: id, selectedIndex: 0 }));
        });
      }
      return { ...view, dialog: { kind: 'none' } };
    }
    case 'none':
      return view;
  }
}

/** A key event with no key flag set (exported for tests that build key events). */
export const PLAIN_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

function keyOf(char: string): Key {
  if (char === '\r' || char === '\n') return { ...PLAIN_KEY, return: true };
  if (char === '\t') return { ...PLAIN_KEY, tab: true };
  if (char === '\u007f' || char === '\b') return { ...PLAIN_KEY, backspace: true };
  return PLAIN_KEY;
}

/**
 * Ink hands over several characters read at once as one input (it assumes a paste). Keys typed faster than
 * the dashboard reads them arrive that way too: outside a text field they are taken one by one; in a text
 * field the text is kept, and a final Enter still submits.
 */
function splitChunk(input: string, key: Key, context: KeyContext): ViewState | undefined {
  const special =
    key.ctrl || key.meta || key.escape || key.upArrow || key.downArrow || key.pageUp || key.pageDown;
  if (special || Array.from(input).length < 2 || input.includes('\u001b')) return undefined;
  const dialog = context.view.dialog.kind;
  if (dialog === 'filter' || dialog === 'prompt') {
    if (!/^[^\r\n]+[\r\n]$/.test(input)) return undefined;
    const typed = handleKey(input.slice(0, -1), PLAIN_KEY, context);
    return handleKey('\r', keyOf('\r'), { ...context, view: typed });
  }
  let view = context.view;
  for (const char of Array.from(input)) view = handleKey(char, keyOf(char), { ...context, view });
  return view;
}

/** The view after a key (the same object when nothing changed). */
export function handleKey(input: string, typed: Key, context: KeyContext): ViewState {
  // A line feed is Enter too: Ctrl+J, and Enter typed before the dashboard put the terminal in raw mode (the
  // terminal's line mode turned it into a line feed).
  const key = input === '\n' && !typed.meta ? { ...typed, return: true } : typed;
  const split = splitChunk(input, key, context);
  if (split) return split;
  if (key.ctrl && input === 'c') {
    context.exit();
    return context.view;
  }
  if (context.view.dialog.kind !== 'none') return dialogKey(input, key, context);
  const command = commandFor(input, key, context.view.detailId ? 'detail' : context.view.tab);
  return command ? runCommand(command, context) : context.view;
}
