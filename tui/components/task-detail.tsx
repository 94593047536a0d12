/**
 * One task: its fields, checkpoints and the live step log (model turns, tool calls with arguments and
 * results, errors). The log is virtualised like the table; the event under the cursor is expanded to show its
 * full data.
 */
import { Box, Text } from 'ink';
import { useMemo, useRef } from 'react';
import type { TaskEvent } from '../../protocol/task.js';
import { clean } from '../../protocol/terminal-text.js';
import type { DetailState } from '../data/state.js';
import { fit, formatClock, formatUsd } from '../format.js';
import { useTheme } from '../hooks/use-theme.js';
import { STATUS_SYMBOLS } from '../theme.js';
import { describeEvent, eventDetails, eventTimings, LABEL_WIDTH } from '../view/describe-event.js';
import { CheckpointList } from './checkpoint-list.js';

export interface TaskDetailProps {
  detail: DetailState;
  /** Index of the event under the cursor, or 'follow' for the newest. */
  cursor: number | 'follow';
  width: number;
  height: number;
}

function EventRow({
  event,
  timings,
  width,
  selected,
}: {
  event: TaskEvent;
  timings: ReadonlyMap<number, number>;
  width: number;
  selected: boolean;
}) {
  const theme = useTheme();
  const line = describeEvent(event, timings);
  const colour =
    event.type === 'status' && event.to_status
      ? theme.status(event.to_status)
      : line.colour
        ? theme.tint(line.colour)
        : undefined;
  const head = `${formatClock(event.created_at)} ${fit(line.step === undefined ? '' : String(line.step), 3, 'right')} `;
  return (
    <Text inverse={selected} wrap="truncate">
      <Text dimColor={!selected}>{head}</Text>
      <Text color={colour}>{fit(line.label, LABEL_WIDTH)}</Text>{' '}
      {fit(line.summary, Math.max(1, width - head.length - LABEL_WIDTH - 1))}
    </Text>
  );
}

export function TaskDetail({ detail, cursor, width, height }: TaskDetailProps) {
  const theme = useTheme();
  const task = detail.task;
  const events = detail.events;
  const timings = useMemo(() => eventTimings(events), [events]);
  const top = useRef(0);
  const lines: React.ReactNode[] = [];
  if (!task) {
    lines.push(
      <Text key="loading" dimColor>
        {detail.error ? clean(detail.error) : 'loading…'}
      </Text>,
    );
  } else {
    lines.push(
      <Text key="title" wrap="truncate">
        <Text color={theme.status(task.status)} bold>
          {STATUS_SYMBOLS[task.status]} {task.status}
        </Text>{' '}
        <Text bold>{clean(task.title)}</Text> <Text dimColor>{task.id}</Text>
      </Text>,
      <Text key="facts" wrap="truncate">
        model {clean(task.model ?? 'default route')} · attempts {task.attempts}/{task.max_attempts} · steps{' '}
        {task.steps} · cost {formatUsd(task.cost_micro_usd)}
        {task.unknown_cost_calls > 0 ? ` + ${task.unknown_cost_calls} calls of unknown cost` : ''}
        {task.budget_micro_usd !== null ? ` of a ${formatUsd(task.budget_micro_usd)} budget` : ''} · priority{' '}
        {task.priority}
      </Text>,
      <Text key="times" wrap="truncate" dimColor>
        created {formatClock(task.created_at)}
        {task.started_at ? ` · started ${formatClock(task.started_at)}` : ''}
        {task.finished_at ? ` · finished ${formatClock(task.finished_at)}` : ''} · workspace{' '}
        {clean(task.workspace)}
      </Text>,
    );
    if (task.error) {
      lines.push(
        <Text key="error" color={theme.tint('red')} wrap="truncate">
          error {clean(task.error.code)}: {clean(task.error.message)}
          {task.error.hint ? ` (${clean(task.error.hint)})` : ''}
        </Text>,
      );
    }
    if (task.result !== null) {
      lines.push(
        <Text key="result" wrap="truncate">
          result {clean(task.result)}
        </Text>,
      );
    }
    if (detail.error)
      lines.push(
        <Text key="refresh-error" color={theme.tint('red')} wrap="truncate">
          {clean(detail.error)}
        </Text>,
      );
  }
  lines.push(<CheckpointList key="checkpoints" checkpoints={detail.checkpoints} width={width} />);
  const following = cursor === 'follow';
  const selected =
    events.length === 0 ? -1 : following ? events.length - 1 : Math.min(cursor, events.length - 1);
  const logTitle = `── steps (${events.length}${detail.eventsTruncated ? ', older ones not shown' : ''})${following ? ' · following' : ''} `;
  lines.push(
    <Text key="log-head" bold wrap="truncate">
      {logTitle + '─'.repeat(Math.max(0, width - logTitle.length))}
    </Text>,
  );
  const logHeight = Math.max(1, height - lines.length);
  const expanded =
    selected >= 0 && !following
      ? eventDetails(events[selected] as TaskEvent, Math.max(0, Math.min(12, logHeight - 3)))
      : [];
  const rowsForEvents = Math.max(1, logHeight - expanded.length);
  let start = top.current;
  if (following) start = Math.max(0, events.length - rowsForEvents);
  if (selected >= 0 && selected < start) start = selected;
  if (selected >= start + rowsForEvents) start = selected - rowsForEvents + 1;
  start = Math.max(0, Math.min(start, Math.max(0, events.length - rowsForEvents)));
  top.current = start;
  const visible = events.slice(start, start + rowsForEvents);
  return (
    <Box flexDirection="column" height={height}>
      {lines}
      {events.length === 0 ? <Text dimColor>no steps yet</Text> : null}
      {visible.map((event, offset) => {
        const index = start + offset;
        const row = (
          <EventRow
            key={event.seq}
            event={event}
            timings={timings}
            width={width}
            selected={index === selected && !following}
          />
        );
        if (index !== selected || expanded.length === 0) return row;
        return (
          <Box key={event.seq} flexDirection="column">
            {row}
            {expanded.map((text, line) => (
              <Text key={line} dimColor wrap="truncate">
                {'    '}
                {text}
              </Text>
            ))}
          </Box>
        );
      })}
    </Box>
  );
}
