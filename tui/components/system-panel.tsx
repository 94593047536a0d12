/**
 * Health: running and queued tasks, throughput and error rate, the server, and each subsystem get_status
 * reports (LLM gateway with its latency, memory, sandbox…). Subsystems this server does not report yet are
 * listed as such rather than hidden.
 */
import { Box, Text } from 'ink';
import type { TaskSummary } from '../../protocol/task.js';
import { clean } from '../../protocol/terminal-text.js';
import type { ComponentStatus } from '../../protocol/tools/system-tools.js';
import type { DashboardState, LiveStats } from '../data/state.js';
import { compactJson, fit, formatBytes, formatDuration } from '../format.js';
import { useTheme } from '../hooks/use-theme.js';
import { throughput } from '../view/derived.js';

/** Subsystems the dashboard expects (from the agent, memory and sandbox issues); others are shown too. */
const EXPECTED = ['llm', 'memory', 'sandbox'];

const HEALTH_SYMBOL: Record<ComponentStatus['status'], string> = {
  ok: '✓',
  degraded: '!',
  unavailable: '✗',
  disabled: '-',
};

/** Latency figures a component may report in its data (the LLM gateway's, typically). */
function latency(data: Record<string, unknown> | undefined): string | undefined {
  if (!data) return undefined;
  const entries = Object.entries(data).filter(
    ([key, value]) => /latency|_ms$/.test(key) && typeof value === 'number',
  );
  return entries.length === 0
    ? undefined
    : entries.map(([key, value]) => `${key} ${Math.round(value as number)}`).join(' · ');
}

function ComponentLine({
  name,
  component,
  width,
}: {
  name: string;
  component: ComponentStatus | undefined;
  width: number;
}) {
  const theme = useTheme();
  if (!component) {
    return (
      <Text dimColor wrap="truncate">
        {fit(name, 10)} ? not reported by this server
      </Text>
    );
  }
  const colour =
    component.status === 'ok'
      ? 'green'
      : component.status === 'degraded'
        ? 'yellow'
        : component.status === 'unavailable'
          ? 'red'
          : 'gray';
  const lat = latency(component.data);
  const rest = component.data
    ? Object.fromEntries(Object.entries(component.data).filter(([key]) => !/latency|_ms$/.test(key)))
    : {};
  const extra = Object.keys(rest).length > 0 ? ` ${compactJson(rest, Math.max(20, width))}` : '';
  return (
    <Text wrap="truncate">
      {fit(clean(name), 10)}{' '}
      <Text color={theme.tint(colour)}>
        {HEALTH_SYMBOL[component.status]} {fit(component.status, 11)}
      </Text>{' '}
      {clean(component.detail)}
      {lat ? <Text color={theme.tint('cyan')}> latency {clean(lat)} ms</Text> : null}
      <Text dimColor>{clean(extra)}</Text>
    </Text>
  );
}

export function SystemPanel({
  state,
  stats,
  tasks,
  width,
  height,
}: {
  state: DashboardState;
  stats: LiveStats;
  tasks: readonly TaskSummary[];
  width: number;
  height: number;
}) {
  const status = state.status;
  const counts = status?.tasks.by_status ?? {};
  const rate = throughput(tasks, state.now, 60);
  const running = counts.RUNNING ?? 0;
  const queued = (counts.PENDING ?? 0) + (counts.RETRYING ?? 0);
  const components = status?.components ?? {};
  const names = [
    ...EXPECTED,
    ...Object.keys(components)
      .filter(name => !EXPECTED.includes(name))
      .sort(),
  ];
  const connection = state.connection;
  return (
    <Box flexDirection="column" height={height}>
      <Text bold>Tasks</Text>
      <Text wrap="truncate">
        running {running} · queued {queued} · total {status?.tasks.total ?? tasks.length} · completed{' '}
        {counts.COMPLETED ?? 0} · failed {counts.FAILED ?? 0}
      </Text>
      <Text wrap="truncate">
        throughput {rate.completedPerMinute.toFixed(2)}/min · error rate{' '}
        {rate.errorRate === undefined ? '-' : `${(rate.errorRate * 100).toFixed(1)}%`}{' '}
        <Text dimColor>
          (tasks settled in the last {rate.windowMinutes} min: {rate.settled})
        </Text>
      </Text>
      <Text bold>Server</Text>
      {status ? (
        <Text wrap="truncate">
          AZ-OS {clean(status.version)} · {status.mode} · pid {status.pid} · up{' '}
          {formatDuration(status.uptime_seconds)} · db {formatBytes(status.database.size_bytes)} (schema v
          {status.database.schema_version}) · profile {clean(status.profile)}
        </Text>
      ) : (
        <Text dimColor>waiting for get_status…</Text>
      )}
      <Text wrap="truncate" dimColor>
        {connection.url ? clean(connection.url) : 'in-process'} · MCP {connection.era ?? '?'} era ·{' '}
        {stats.notifications} updates heard · {stats.refreshes} list reads
        {stats.lastListMs !== undefined ? ` · last list read ${Math.round(stats.lastListMs)} ms` : ''}
      </Text>
      <Text bold>Subsystems</Text>
      {names.slice(0, Math.max(0, height - 8)).map(name => (
        <ComponentLine key={name} name={name} component={components[name]} width={width} />
      ))}
    </Box>
  );
}
