/**
 * The task table, virtualised: only the rows that fit are rendered, whatever the number of tasks. Each row
 * is one line of text (few layout nodes), memoised on what it shows, so a live update redraws only the rows
 * that changed.
 */
import { Box, Text } from 'ink';
import { memo, useMemo, useRef } from 'react';
import type { TaskSummary } from '../../protocol/task.js';
import { clean } from '../../protocol/terminal-text.js';
import { fit, formatAge, formatUsd } from '../format.js';
import { useTheme } from '../hooks/use-theme.js';
import { STATUS_SYMBOLS } from '../theme.js';

export interface TableLayout {
  width: number;
  status: number;
  id: number;
  title: number;
  model: number;
  steps: number;
  cost: number;
  age: number;
}

/** Column widths for a terminal width: ids from 110 columns, models from 64, always status/title/cost. */
export function tableLayout(width: number): TableLayout {
  const status = 13;
  const id = width >= 110 ? 8 : 0;
  const model = width >= 64 ? Math.min(18, Math.max(10, Math.floor(width / 8))) : 0;
  const steps = 5;
  const cost = 9;
  const age = 4;
  const gaps = [id, model].filter(Boolean).length + 4;
  const title = Math.max(8, width - status - id - model - steps - cost - age - gaps);
  return { width, status, id, title, model, steps, cost, age };
}

function line(
  layout: TableLayout,
  cells: { id: string; title: string; model: string; steps: string; cost: string; age: string },
): string {
  const parts: string[] = [];
  if (layout.id) parts.push(fit(cells.id, layout.id));
  parts.push(fit(cells.title, layout.title));
  if (layout.model) parts.push(fit(cells.model, layout.model));
  parts.push(
    fit(cells.steps, layout.steps, 'right'),
    fit(cells.cost, layout.cost, 'right'),
    fit(cells.age, layout.age, 'right'),
  );
  return ` ${parts.join(' ')}`;
}

interface RowProps {
  task: TaskSummary;
  selected: boolean;
  layout: TableLayout;
  age: string;
}

export const TaskRow = memo(function TaskRow({ task, selected, layout, age }: RowProps) {
  const theme = useTheme();
  const colour = theme.status(task.status);
  // The symbol gets a text node of its own: the rest of the row is usually plain ASCII, which Ink measures
  // many times faster than text with any other character in it.
  const status = ` ${fit(task.status, layout.status - 2)}`;
  const rest = line(layout, {
    id: task.id.slice(0, 8),
    title: clean(task.title),
    model: clean(task.model ?? '-'),
    steps: String(task.steps),
    cost: formatUsd(task.cost_micro_usd),
    age,
  });
  return (
    <Box height={1}>
      <Text inverse={selected} color={colour}>
        {STATUS_SYMBOLS[task.status]}
      </Text>
      <Text inverse={selected}>
        <Text color={colour}>{status}</Text>
        {rest}
      </Text>
    </Box>
  );
});

export interface TaskTableProps {
  rows: readonly TaskSummary[];
  selectedIndex: number;
  /** Lines available, including the header line. */
  height: number;
  width: number;
  now: number;
  emptyText: string;
}

export function TaskTable({ rows, selectedIndex, height, width, now, emptyText }: TaskTableProps) {
  const layout = useMemo(() => tableLayout(width), [width]);
  const bodyHeight = Math.max(1, height - 1);
  const top = useRef(0);
  let start = top.current;
  if (selectedIndex < start) start = selectedIndex;
  if (selectedIndex >= start + bodyHeight) start = selectedIndex - bodyHeight + 1;
  start = Math.max(0, Math.min(start, Math.max(0, rows.length - bodyHeight)));
  top.current = start;
  const visible = rows.slice(start, start + bodyHeight);
  const header =
    fit('STATUS', layout.status) +
    line(layout, { id: 'ID', title: 'TITLE', model: 'MODEL', steps: 'STEPS', cost: 'COST', age: 'AGE' });
  return (
    <Box flexDirection="column" height={height}>
      <Text bold wrap="truncate">
        {header}
      </Text>
      {visible.length === 0 ? (
        <Text dimColor>{emptyText}</Text>
      ) : (
        visible.map((task, offset) => (
          <TaskRow
            key={task.id}
            task={task}
            selected={start + offset === selectedIndex}
            layout={layout}
            age={formatAge(task.created_at, now)}
          />
        ))
      )}
    </Box>
  );
}
