/**
 * The cost panel's figures, through the agent's cost tools: get_cost_summary (grouped by model, and by UTC day
 * for the sparkline) and get_budget (today's and the total budget, with what is spent and reserved against
 * them). Results are parsed with the contracts' output schemas (DashboardClient.call). A server without get_budget
 * still shows its spend; one without get_cost_summary gets the sums over the task list (view/derived.ts).
 */
import type { DashboardClient } from './connection.js';
import {
  costSummaryTool,
  getBudgetTool,
  type BudgetState,
  type CostFigures,
} from '../../protocol/tools/cost-tools.js';
import type { Capabilities } from './capabilities.js';

export interface ModelCost {
  model: string;
  costMicroUsd: number;
  /** Model calls (undefined when summed from tasks, which do not count calls). */
  calls: number | undefined;
  /** Calls whose price is unknown: the cost is then a floor. */
  unknownCostCalls: number;
}

export interface DayCost {
  day: string;
  costMicroUsd: number;
}

export interface BudgetFigure {
  limitMicroUsd: number;
  spentMicroUsd: number;
  /** Held by model calls in flight. */
  reservedMicroUsd: number;
}

export interface CostView {
  /** 'server': from get_cost_summary; 'tasks': summed from the task list (the server has no cost tools). */
  source: 'server' | 'tasks';
  /** Which day "today" is: the server's UTC day, or the local day for sums over tasks. */
  today: { day: string; zone: 'UTC' | 'local' };
  todayMicroUsd: number;
  totalMicroUsd: number;
  /** Model calls in total (undefined when summed from tasks). */
  calls: number | undefined;
  tokens: { input: number; cachedInput: number; output: number } | undefined;
  /** Calls whose price is unknown: every figure is then a floor. */
  unknownCostCalls: number;
  /** Calls still running and the money reserved for them. */
  inFlight: { calls: number; reservedMicroUsd: number } | undefined;
  /** Caps that are set (undefined when the server has no get_budget; a scope without a limit is absent). */
  budgets: { day?: BudgetFigure | undefined; total?: BudgetFigure | undefined } | undefined;
  byModel: ModelCost[];
  /** Oldest first, one entry per day (days without spend are 0), for the sparkline. */
  byDay: DayCost[];
}

/** Days the sparkline covers. */
export const COST_DAYS = 30;
/** Models listed (the largest spend first). */
const MODELS_READ = 20;

const DAY_MS = 86_400_000;
const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

function budgetFigure(state: BudgetState | undefined): BudgetFigure | undefined {
  if (!state || state.limit_micro_usd === null) return undefined;
  return {
    limitMicroUsd: state.limit_micro_usd,
    spentMicroUsd: state.spent_micro_usd,
    reservedMicroUsd: state.reserved_micro_usd,
  };
}

/** Every day from `first` to `last` (UTC, inclusive), with the spend of the days that have one. */
function fillDays(first: string, last: string, spend: ReadonlyMap<string, number>): DayCost[] {
  const days: DayCost[] = [];
  for (let at = Date.parse(`${first}T00:00:00Z`); utcDay(at) <= last; at += DAY_MS) {
    const day = utcDay(at);
    days.push({ day, costMicroUsd: spend.get(day) ?? 0 });
  }
  return days;
}

const tokensOf = (figures: CostFigures) => ({
  input: figures.input_tokens,
  cachedInput: figures.cached_input_tokens,
  output: figures.output_tokens,
});

/** Reads the cost tools into the cost panel's view (three calls in parallel). */
export async function readServerCost(
  client: DashboardClient,
  capabilities: Capabilities,
  now: number,
): Promise<CostView> {
  // The server's day when it says (get_budget), else this machine's idea of the UTC day.
  const clientToday = utcDay(now);
  const since = utcDay(now - (COST_DAYS - 1) * DAY_MS);
  const [byModel, byDay, budget] = await Promise.all([
    client.call(costSummaryTool, { group_by: 'model', limit: MODELS_READ }),
    client.call(costSummaryTool, { group_by: 'day', since, limit: COST_DAYS + 1 }),
    capabilities.tools.has(getBudgetTool.name) ? client.call(getBudgetTool, {}) : undefined,
  ]);
  const dayBudget = budget?.budgets.find(state => state.scope === 'day');
  const totalBudget = budget?.budgets.find(state => state.scope === 'total');
  const today = dayBudget?.key ?? clientToday;
  const spend = new Map(byDay.groups.map(group => [group.key, group.cost_micro_usd]));
  const total = byModel.total;
  return {
    source: 'server',
    today: { day: today, zone: 'UTC' },
    todayMicroUsd: spend.get(today) ?? 0,
    totalMicroUsd: total.cost_micro_usd,
    calls: total.calls,
    tokens: tokensOf(total),
    unknownCostCalls: total.unknown_cost_calls,
    inFlight: { calls: byModel.in_flight.calls, reservedMicroUsd: byModel.in_flight.reserved_micro_usd },
    budgets: budget ? { day: budgetFigure(dayBudget), total: budgetFigure(totalBudget) } : undefined,
    byModel: byModel.groups.map(group => ({
      model: group.key,
      costMicroUsd: group.cost_micro_usd,
      calls: group.calls,
      unknownCostCalls: group.unknown_cost_calls,
    })),
    byDay: fillDays(since < today ? since : today, today > clientToday ? today : clientToday, spend),
  };
}
