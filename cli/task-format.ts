/** How tasks and their events look in the terminal. */
import type { Task, TaskEvent, TaskSummary } from '../protocol/task.js';
import { formatCost } from './cost-format.js';
import { clean, formatAge, formatUsd, table } from './output.js';

export function taskTable(tasks: readonly TaskSummary[], width: number): string {
  return table(
    tasks,
    [
      { header: 'ID', value: task => task.id.slice(0, 8) },
      { header: 'STATUS', value: task => task.status },
      { header: 'PRI', value: task => String(task.priority), align: 'right' },
      { header: 'TITLE', value: task => task.title, flexible: true },
      { header: 'MODEL', value: task => task.model ?? '-' },
      { header: 'STEPS', value: task => String(task.steps), align: 'right' },
      { header: 'COST', value: task => formatUsd(task.cost_micro_usd), align: 'right' },
      { header: 'AGE', value: task => formatAge(task.created_at), align: 'right' },
    ],
    width,
  );
}

export function taskDetails(task: Task): string {
  const lines: [string, string][] = [
    ['id', task.id],
    ['title', task.title],
    ['status', task.status],
    ['priority', String(task.priority)],
    ['model', task.model ?? '(default route)'],
    ['workspace', task.workspace],
    ['attempts', `${task.attempts} of ${task.max_attempts}`],
    ['steps', String(task.steps)],
    [
      'cost',
      `${formatCost(task.cost_micro_usd)}${task.unknown_cost_calls > 0 ? ` + ${task.unknown_cost_calls} call(s) of unknown cost` : ''}`,
    ],
    ['budget', task.budget_micro_usd === null ? '(none)' : formatUsd(task.budget_micro_usd)],
    ['created', task.created_at],
    ['started', task.started_at ?? '-'],
    ['finished', task.finished_at ?? '-'],
  ];
  if (task.error)
    lines.push([
      'error',
      `${task.error.code}: ${task.error.message}${task.error.hint ? ` (${task.error.hint})` : ''}`,
    ]);
  const out = lines.map(([key, value]) => `${key.padEnd(10)} ${clean(value)}`);
  out.push('', 'prompt:', clean(task.prompt, { multiline: true }));
  if (task.result !== null) out.push('', 'result:', clean(task.result, { multiline: true }));
  return out.join('\n');
}

export function eventLine(event: TaskEvent): string {
  const time = event.created_at.slice(11, 19);
  if (event.type === 'status') {
    const reason = typeof event.data?.reason === 'string' ? ` (${event.data.reason})` : '';
    return `${time}  #${event.seq}  ${event.from_status ?? '∅'} → ${event.to_status ?? '?'}${clean(reason)}`;
  }
  const summary = typeof event.data?.summary === 'string' ? event.data.summary : JSON.stringify(event.data);
  return `${time}  #${event.seq}  ${event.type}: ${clean(summary ?? '')}`;
}
