/**
 * Figures the dashboard derives from what it holds: throughput and error rate over recent tasks, and the cost
 * panel's fallback (sums over the task list) for servers without cost tools. Pure functions of their inputs.
 */
import type { TaskStatus, TaskSummary } from '../../protocol/task.js';
import type { CostView, DayCost, ModelCost } from '../data/optional-tools.js';

export interface Throughput {
  /** Tasks completed per minute over the window. */
  completedPerMinute: number;
  /** Failed ÷ (completed + failed) among tasks that settled in the window; undefined when none did. */
  errorRate: number | undefined;
  windowMinutes: number;
  settled: number;
}

/**
 * A task's last update stands for its finish time when it is settled (summaries carry no finished_at), so
 * these are "tasks that settled in the last N minutes".
 */
export function throughput(tasks: readonly TaskSummary[], now: number, windowMinutes = 60): Throughput {
  const since = now - windowMinutes * 60_000;
  let completed = 0;
  let failed = 0;
  for (const task of tasks) {
    if (task.status !== 'COMPLETED' && task.status !== 'FAILED') continue;
    if (Date.parse(task.updated_at) < since) continue;
    if (task.status === 'COMPLETED') completed += 1;
    else failed += 1;
  }
  const settled = completed + failed;
  return {
    completedPerMinute: completed / windowMinutes,
    errorRate: settled === 0 ? undefined : failed / settled,
    windowMinutes,
    settled,
  };
}

export function countByStatus(tasks: readonly TaskSummary[]): Partial<Record<TaskStatus, number>> {
  const counts: Partial<Record<TaskStatus, number>> = {};
  for (const task of tasks) counts[task.status] = (counts[task.status] ?? 0) + 1;
  return counts;
}

function localDay(ms: number): string {
  const date = new Date(ms);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/** Cost figures summed from the task list: what a server without cost tools can still tell. */
export function costFromTasks(tasks: readonly TaskSummary[], now: number, days = 14): CostView {
  const today = localDay(now);
  const models = new Map<string, ModelCost>();
  const byDay = new Map<string, number>();
  for (let offset = days - 1; offset >= 0; offset -= 1) byDay.set(localDay(now - offset * 86_400_000), 0);
  let total = 0;
  let todayTotal = 0;
  for (const task of tasks) {
    const cost = task.cost_micro_usd;
    total += cost;
    const day = localDay(Date.parse(task.created_at));
    if (day === today) todayTotal += cost;
    if (byDay.has(day)) byDay.set(day, (byDay.get(day) ?? 0) + cost);
    const model = task.model ?? 'default route';
    const entry = models.get(model) ?? { model, costMicroUsd: 0, calls: undefined };
    entry.costMicroUsd += cost;
    models.set(model, entry);
  }
  const dayList: DayCost[] = [...byDay].map(([day, costMicroUsd]) => ({ day, costMicroUsd }));
  return {
    source: 'tasks',
    todayMicroUsd: todayTotal,
    totalMicroUsd: total,
    budgets: {},
    byModel: [...models.values()]
      .filter(entry => entry.costMicroUsd > 0)
      .sort((a, b) => b.costMicroUsd - a.costMicroUsd),
    byDay: dayList,
  };
}
