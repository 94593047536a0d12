/**
 * Figures the dashboard derives from what it holds: throughput and error rate over recent tasks, and the cost
 * panel's fallback (sums over the task list) for servers without cost tools. Pure functions of their inputs.
 */
import type { TaskStatus, TaskSummary } from '../../protocol/task.js';
import type { CostView, DayCost, ModelCost } from '../data/cost-sync.js';

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

/** Local midnight `daysAgo` days before `now`. */
function midnight(now: number, daysAgo = 0): number {
  const date = new Date(now);
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() - daysAgo).getTime();
}

/** Spend of the tasks created today (local time): the header's figure when the server has no cost tools. */
export function todayFromTasks(tasks: readonly TaskSummary[], now: number): number {
  const since = midnight(now);
  let total = 0;
  for (const task of tasks) if (Date.parse(task.created_at) >= since) total += task.cost_micro_usd;
  return total;
}

/** Cost figures summed from the task list: what a server without cost tools can still tell. */
export function costFromTasks(tasks: readonly TaskSummary[], now: number, days = 14): CostView {
  const starts = Array.from({ length: days }, (_, index) => midnight(now, index));
  const byDay = new Array<number>(days).fill(0);
  const models = new Map<string, ModelCost>();
  let total = 0;
  let unknown = 0;
  for (const task of tasks) {
    const cost = task.cost_micro_usd;
    total += cost;
    const created = Date.parse(task.created_at);
    const index = starts.findIndex(start => created >= start);
    if (index >= 0) byDay[index] = (byDay[index] ?? 0) + cost;
    const model = task.model ?? 'default route';
    const entry = models.get(model) ?? { model, costMicroUsd: 0, calls: undefined, unknownCostCalls: 0 };
    entry.costMicroUsd += cost;
    entry.unknownCostCalls += task.unknown_cost_calls;
    unknown += task.unknown_cost_calls;
    models.set(model, entry);
  }
  const dayList: DayCost[] = starts
    .map((start, index) => ({ day: localDay(start), costMicroUsd: byDay[index] ?? 0 }))
    .reverse();
  return {
    source: 'tasks',
    today: { day: localDay(now), zone: 'local' },
    todayMicroUsd: byDay[0] ?? 0,
    totalMicroUsd: total,
    calls: undefined,
    tokens: undefined,
    unknownCostCalls: unknown,
    inFlight: undefined,
    budgets: undefined,
    byModel: [...models.values()]
      .filter(entry => entry.costMicroUsd > 0 || entry.unknownCostCalls > 0)
      .sort((a, b) => b.costMicroUsd - a.costMicroUsd),
    byDay: dayList,
  };
}
