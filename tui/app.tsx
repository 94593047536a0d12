/**
 * The dashboard's root component: lays out header, view and footer for the terminal's size, and turns keys
 * into view changes and task actions. Everything it shows comes from the store (MCP); everything it does to
 * tasks is a store action (an MCP tool call).
 */
import { Box, Text, useApp, useInput, useStdin } from 'ink';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { Key } from 'ink';
import type { TaskSummary } from '../protocol/task.js';
import { CostPanel } from './components/cost-panel.js';
import { Header, Tabs } from './components/header.js';
import { HelpScreen } from './components/help-screen.js';
import { KeyHints, StatusLine } from './components/footer.js';
import { SystemPanel } from './components/system-panel.js';
import { TaskDetail } from './components/task-detail.js';
import { TaskTable } from './components/task-table.js';
import type { DashboardState } from './data/state.js';
import { useDashboardState, useStore } from './hooks/use-store.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { costFromTasks } from './view/derived.js';
import { commandFor, isTaskAction, type Command, type Screen, type TaskAction } from './view/keymap.js';
import { queryTasks } from './view/task-query.js';
import { editText } from './view/text-edit.js';
import {
  INITIAL_VIEW,
  cycleSort,
  moveLog,
  reverseSort,
  selectAt,
  selectedTask,
  selectionIndex,
  type ViewState,
} from './view/view-state.js';

const TOOL_FOR: Record<TaskAction, string> = {
  'new-task': 'create_task',
  cancel: 'cancel_task',
  retry: 'retry_task',
  'retry-from-start': 'retry_task',
};

/** Actions this token may not take: viewers may not write, and a tool the server does not list is absent. */
function disabledActions(state: DashboardState): Set<TaskAction> {
  const disabled = new Set<TaskAction>();
  const viewer = state.caller?.role === 'viewer';
  for (const [action, tool] of Object.entries(TOOL_FOR) as [TaskAction, string][]) {
    const missing = state.capabilities.tools.size > 0 && !state.capabilities.tools.has(tool);
    const resumable = action === 'retry' && state.capabilities.tools.has('resume_task');
    if (viewer || (missing && !resumable)) disabled.add(action);
  }
  return disabled;
}

const ACTIVE = new Set(['RUNNING', 'PENDING', 'RETRYING', 'INITIALIZED']);

export function Dashboard() {
  const store = useStore();
  const state = useDashboardState();
  const { columns, rows: terminalRows } = useTerminalSize();
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const [view, setView] = useState<ViewState>(INITIAL_VIEW);
  const viewRef = useRef(view);
  viewRef.current = view;

  const rows = useMemo(
    () => queryTasks(state.tasks, view.filter, view.sort),
    [state.tasks, view.filter, view.sort],
  );
  const fallbackCost = useMemo(
    () => costFromTasks(state.tasks, state.now),
    [state.tasks, Math.floor(state.now / 60_000)],
  );
  const disabled = useMemo(() => disabledActions(state), [state.caller, state.capabilities]);

  const width = Math.max(40, columns);
  // One line short of the screen: a frame as tall as the terminal makes Ink clear the whole screen each time.
  const height = Math.max(8, terminalRows - 1);
  const bodyHeight = height - 4;
  const screen: Screen = view.detailId ? 'detail' : view.tab;
  const selected = selectionIndex(view, rows);

  const taskFor = useCallback(
    (current: ViewState): TaskSummary | undefined =>
      current.detailId ? state.tasks.find(task => task.id === current.detailId) : selectedTask(current, rows),
    [rows, state.tasks],
  );

  const runAction = (command: Command & { type: TaskAction }, current: ViewState): ViewState => {
    if (disabled.has(command.type)) {
      store.notify(
        'error',
        state.caller?.role === 'viewer'
          ? 'this token is read-only (viewer): actions are disabled'
          : `the server does not offer ${TOOL_FOR[command.type]}`,
      );
      return current;
    }
    if (command.type === 'new-task') return { ...current, dialog: { kind: 'prompt', draft: '' } };
    const task = taskFor(current);
    if (!task) return current;
    if (command.type === 'cancel') {
      if (!ACTIVE.has(task.status)) {
        store.notify(
          'error',
          `'${task.title}' is ${task.status}: only queued or running tasks can be cancelled`,
        );
        return current;
      }
      return { ...current, dialog: { kind: 'confirm-cancel', taskId: task.id, title: task.title } };
    }
    const canResume = state.capabilities.tools.has('resume_task');
    if (command.type === 'retry' && canResume && ['FAILED', 'RUNNING', 'CANCELLED'].includes(task.status)) {
      void store.resumeTask(task.id);
    } else if (task.status === 'FAILED') {
      void store.retryTask(task.id);
    } else {
      store.notify(
        'error',
        `'${task.title}' is ${task.status}: only FAILED tasks can be retried${canResume ? ' or resumed' : ''}`,
      );
    }
    return current;
  };

  const apply = (command: Command, current: ViewState): ViewState => {
    if (isTaskAction(command)) return runAction(command, current);
    const inDetail = current.detailId !== undefined;
    const events = state.detail?.events.length ?? 0;
    const page = Math.max(1, bodyHeight - 2);
    switch (command.type) {
      case 'quit':
        exit();
        return current;
      case 'help':
        return { ...current, dialog: { kind: 'help' } };
      case 'tab':
        if (current.detailId) store.closeDetail();
        return { ...current, tab: command.tab, detailId: undefined };
      case 'filter':
        return { ...current, dialog: { kind: 'filter', draft: current.filter } };
      case 'sort-next':
        return cycleSort(current);
      case 'sort-reverse':
        return reverseSort(current);
      case 'follow':
        return { ...current, logCursor: 'follow' };
      case 'open': {
        const task = selectedTask(current, rows);
        if (!task) return current;
        store.openDetail(task.id);
        return { ...current, detailId: task.id, logCursor: 'follow', selectedId: task.id };
      }
      case 'back':
        if (inDetail) {
          store.closeDetail();
          return { ...current, detailId: undefined };
        }
        if (current.tab !== 'tasks') return { ...current, tab: 'tasks' };
        return { ...current, filter: '' };
      case 'move':
        return inDetail
          ? moveLog(current, events, command.delta)
          : selectAt(current, rows, selectionIndex(current, rows) + command.delta);
      case 'page':
        return inDetail
          ? moveLog(current, events, command.direction * page)
          : selectAt(current, rows, selectionIndex(current, rows) + command.direction * page);
      case 'move-to':
        return inDetail
          ? moveLog(current, events, command.where)
          : selectAt(current, rows, command.where === 'first' ? 0 : rows.length - 1);
    }
  };

  const onDialogKey = (input: string, key: Key, current: ViewState): ViewState => {
    const dialog = current.dialog;
    switch (dialog.kind) {
      case 'help':
        if (input === 'q' && !key.ctrl) exit();
        return { ...current, dialog: { kind: 'none' } };
      case 'confirm-cancel':
        if (input === 'y' || input === 'Y') void store.cancelTask(dialog.taskId);
        return { ...current, dialog: { kind: 'none' } };
      case 'filter': {
        const edit = editText(dialog.draft, input, key, 200);
        if (edit.done === 'cancel') return { ...current, filter: '', dialog: { kind: 'none' } };
        if (edit.done === 'submit') return { ...current, filter: edit.draft, dialog: { kind: 'none' } };
        // The table filters as you type.
        return { ...current, filter: edit.draft, dialog: { kind: 'filter', draft: edit.draft } };
      }
      case 'prompt': {
        const edit = editText(dialog.draft, input, key);
        if (edit.done === 'cancel') return { ...current, dialog: { kind: 'none' } };
        if (edit.done === 'submit') {
          const prompt = edit.draft.trim();
          if (prompt) {
            void store.createTask(prompt).then(id => {
              if (id) setView(latest => ({ ...latest, tab: 'tasks', selectedId: id, selectedIndex: 0 }));
            });
          }
          return { ...current, dialog: { kind: 'none' } };
        }
        return { ...current, dialog: { kind: 'prompt', draft: edit.draft } };
      }
      case 'none':
        return current;
    }
  };

  useInput(
    (input, key) => {
      const current = viewRef.current;
      if (key.ctrl && input === 'c') {
        exit();
        return;
      }
      const next =
        current.dialog.kind !== 'none'
          ? onDialogKey(input, key, current)
          : (() => {
              const command = commandFor(input, key, current.detailId ? 'detail' : current.tab);
              return command ? apply(command, current) : current;
            })();
      if (next !== current) {
        viewRef.current = next;
        setView(next);
      }
    },
    { isActive: isRawModeSupported === true },
  );

  const readOnly = state.caller?.role === 'viewer' ? 'read-only token (viewer)' : undefined;
  const body = (() => {
    if (view.dialog.kind === 'help') return <HelpScreen height={bodyHeight} disabled={disabled} />;
    if (screen === 'detail') {
      return state.detail && state.detail.taskId === view.detailId ? (
        <TaskDetail detail={state.detail} cursor={view.logCursor} width={width} height={bodyHeight} />
      ) : (
        <Box height={bodyHeight}>
          <Text dimColor>loading…</Text>
        </Box>
      );
    }
    if (screen === 'cost')
      return <CostPanel cost={state.cost} fallback={fallbackCost} width={width} height={bodyHeight} />;
    if (screen === 'system')
      return <SystemPanel state={state} tasks={state.tasks} width={width} height={bodyHeight} />;
    const empty = !state.tasksLoaded
      ? state.connection.phase === 'live'
        ? 'loading tasks…'
        : `connecting to ${state.connection.url ?? 'the server'}…`
      : state.tasks.length === 0
        ? 'no tasks yet: press n to create one'
        : 'no task matches the filter (esc clears it)';
    return (
      <TaskTable
        rows={rows}
        selectedIndex={selected}
        height={bodyHeight}
        width={width}
        now={state.now}
        emptyText={empty}
      />
    );
  })();
  const today = state.cost.state === 'ready' ? state.cost.value.todayMicroUsd : fallbackCost.todayMicroUsd;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Header state={state} todayMicroUsd={today} />
      <Tabs
        tab={view.detailId ? 'tasks' : view.tab}
        filter={view.filter}
        sort={view.sort}
        shown={rows.length}
        total={state.tasks.length}
      />
      {body}
      <StatusLine
        dialog={view.dialog}
        notice={state.notice}
        now={state.now}
        width={width}
        hint={state.tasksTruncated ? `showing the newest ${state.tasks.length} tasks` : ''}
      />
      {isRawModeSupported ? (
        <KeyHints screen={screen} disabled={disabled} readOnlyReason={readOnly} />
      ) : (
        <Text dimColor>input is not a terminal: keys are off (Ctrl-C to quit)</Text>
      )}
    </Box>
  );
}
