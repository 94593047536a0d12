/** The top two lines: what server, who you are, task counts, spend today; then the views and the list state. */
import { Text } from 'ink';
import type { TaskStatus } from '../../protocol/task.js';
import { clean } from '../../protocol/terminal-text.js';
import type { DashboardState } from '../data/state.js';
import { formatUsd } from '../format.js';
import { useTheme } from '../hooks/use-theme.js';
import { STATUS_SYMBOLS } from '../theme.js';
import type { SortOrder } from '../view/task-query.js';
import type { Tab } from '../view/view-state.js';

export function Header({
  state,
  todayMicroUsd,
}: {
  state: DashboardState;
  todayMicroUsd: number | undefined;
}) {
  const theme = useTheme();
  const counts: Partial<Record<TaskStatus, number>> = state.status?.tasks.by_status ?? {};
  const total = state.status?.tasks.total ?? state.tasks.length;
  const { phase, url, error } = state.connection;
  const connection =
    phase === 'live' ? (
      <Text color={theme.tint('green')}>● live</Text>
    ) : (
      <Text color={theme.tint(phase === 'connecting' ? 'yellow' : 'red')}>
        ○ {phase}
        {error ? `: ${clean(error)}` : ''}
      </Text>
    );
  const figure = (status: TaskStatus, label: string) => {
    const count =
      status === 'PENDING' ? (counts.PENDING ?? 0) + (counts.RETRYING ?? 0) : (counts[status] ?? 0);
    return (
      <Text color={count > 0 ? theme.status(status) : undefined} dimColor={count === 0}>
        {STATUS_SYMBOLS[status]} {count} {label}
      </Text>
    );
  };
  // Most important first: a narrow terminal truncates the end of the line.
  return (
    <Text wrap="truncate">
      <Text bold>AZ-OS</Text> {connection} · {total.toLocaleString('en-US')} tasks{' '}
      {figure('RUNNING', 'running')} {figure('PENDING', 'queued')} {figure('FAILED', 'failed')} · today{' '}
      {formatUsd(todayMicroUsd)} · {state.caller ? `${state.caller.role} ${clean(state.caller.name)}` : '…'}
      {url ? <Text dimColor> {clean(url)}</Text> : null}
    </Text>
  );
}

const TAB_LABELS: readonly [Tab, string][] = [
  ['tasks', '1 Tasks'],
  ['cost', '2 Cost'],
  ['system', '3 System'],
];

export function Tabs({
  tab,
  filter,
  sort,
  shown,
  total,
}: {
  tab: Tab;
  filter: string;
  sort: SortOrder;
  shown: number;
  total: number;
}) {
  return (
    <Text wrap="truncate">
      {TAB_LABELS.map(([name, label]) => (
        <Text key={name} inverse={name === tab} bold={name === tab}>
          {` ${label} `}
        </Text>
      ))}
      <Text dimColor>
        {'  '}
        {filter ? `filter "${clean(filter)}" · ` : ''}sort {sort.key} {sort.descending ? '↓' : '↑'} ·{' '}
        {shown === total ? `${total}` : `${shown} of ${total}`} shown
      </Text>
    </Text>
  );
}
