/**
 * The dashboard's root component: lays out header, view and footer for the terminal's size, and turns keys
 * into view changes and task actions. Everything it shows comes from the store (MCP); everything it does to
 * tasks is a store action (an MCP tool call).
 */
import { Box, Text, useApp, useInput, useStdin } from 'ink';
import { useMemo, useRef, useState } from 'react';
import { CostPanel } from './components/cost-panel.js';
import { KeyHints, StatusLine } from './components/footer.js';
import { Header, Tabs } from './components/header.js';
import { HelpScreen } from './components/help-screen.js';
import { SystemPanel } from './components/system-panel.js';
import { TaskDetail } from './components/task-detail.js';
import { TaskTable } from './components/task-table.js';
import { useDashboardState, useStore } from './hooks/use-store.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { disabledActions, handleKey, type KeyContext } from './key-handler.js';
import { costFromTasks, todayFromTasks } from './view/derived.js';
import type { Screen } from './view/keymap.js';
import { queryTasks } from './view/task-query.js';
import { INITIAL_VIEW, selectionIndex, type ViewState } from './view/view-state.js';

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
  // The header's spend today, when the server has no cost tools (a sum over the tasks; cheap).
  const day = new Date(state.now).getDate();
  const todayFallback = useMemo(() => todayFromTasks(state.tasks, state.now), [state.tasks, day]);
  const disabled = useMemo(() => disabledActions(state), [state.caller, state.capabilities]);

  const width = Math.max(40, columns);
  // One line short of the screen: a frame as tall as the terminal makes Ink clear the whole screen each time.
  const height = Math.max(8, terminalRows - 1);
  const bodyHeight = height - 4;
  const screen: Screen = view.detailId ? 'detail' : view.tab;
  const selected = selectionIndex(view, rows);

  // The key handler reads the frame on screen, not the one its closure was created with.
  const latest = useRef<Omit<KeyContext, 'view'>>(undefined as never);
  latest.current = {
    state,
    rows,
    disabled,
    bodyHeight,
    store,
    exit,
    updateView: change =>
      setView(current => {
        const next = change(current);
        viewRef.current = next;
        return next;
      }),
  };
  useInput(
    (input, key) => {
      const current = viewRef.current;
      const next = handleKey(input, key, { ...latest.current, view: current });
      if (next !== current) {
        viewRef.current = next;
        setView(next);
      }
    },
    { isActive: isRawModeSupported === true },
  );

  const idleHint =
    state.caller?.role === 'viewer'
      ? 'read-only token (viewer): new, cancel and retry are disabled'
      : state.tasksTruncated
        ? `showing the newest ${state.tasks.length} tasks`
        : '';
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
      return (
        <CostPanel
          cost={state.cost}
          fallback={costFromTasks(state.tasks, state.now)}
          width={width}
          height={bodyHeight}
        />
      );
    if (screen === 'system')
      return (
        <SystemPanel
          state={state}
          stats={store.stats()}
          tasks={state.tasks}
          width={width}
          height={bodyHeight}
        />
      );
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
  const today = state.cost.state === 'ready' ? state.cost.value.todayMicroUsd : todayFallback;
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
      <StatusLine dialog={view.dialog} notice={state.notice} now={state.now} width={width} hint={idleHint} />
      {isRawModeSupported ? (
        <KeyHints screen={screen} disabled={disabled} />
      ) : (
        <Text dimColor>input is not a terminal: keys are off (Ctrl-C to quit)</Text>
      )}
    </Box>
  );
}
