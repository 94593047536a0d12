/**
 * The cost ledger: every metered model call as a row that starts as a reservation and settles with its real
 * cost, plus running totals (all time, per UTC day) and the budgets checked against them.
 *
 * Admission, per budget (task, day, total), checked and written in one IMMEDIATE transaction:
 *  - a call whose reservation (an upper bound of its cost) fits in what is left is admitted, in parallel
 *    with others;
 *  - a call that might not fit is admitted only as the sole call in flight against that budget — the others
 *    wait for it — so the budget can be overshot by at most that one call;
 *  - once spend has reached the budget, every call is refused with BUDGET_EXCEEDED.
 */
import { AppError } from '../../protocol/errors.js';
import type { BudgetState } from '../../protocol/tools/cost-tools.js';
import type { Db } from '../store/database.js';
import type { RelaxedWrites } from '../store/relaxed-writes.js';
import type { CallCost, TokenUsage } from './call-cost.js';
import { formatMicroUsd } from './format.js';
import { sleep } from '../llm/backoff.js';

export type BudgetScope = 'task' | 'day' | 'total';

/** How often a call waiting for budget checks again. */
const BUDGET_WAIT_MS = 50;

export interface ReserveRequest {
  taskId: string | null;
  purpose: 'step' | 'sampling';
  route: string;
  /**
   * An upper bound of the call's cost. A function is evaluated only when a budget applies: without budgets
   * nothing needs reserving, and estimating means serializing the whole request.
   */
  estimateMicroUsd: number | (() => number);
  owner: string | null;
  journalSeq?: number | null;
}

export interface Settlement {
  model: string | null;
  usage: TokenUsage | undefined;
  cost: CallCost;
  attempts: number;
}

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

interface TotalsRow {
  spent_micro_usd: number;
  reserved_micro_usd: number;
  calls: number;
  unknown_cost_calls: number;
}

export type CostLedger = ReturnType<typeof createCostLedger>;

export interface CostLedgerDeps {
  db: Db;
  writes: RelaxedWrites;
  now: () => number;
  /** Called after a change that alters the cost summary (publishes azos://cost). */
  onChange: (taskId: string | null) => void;
}

export function createCostLedger({ db, writes, now, onChange }: CostLedgerDeps) {
  const insertCall = db.prepare(`INSERT INTO llm_calls
    (task_id, journal_seq, purpose, route, day, state, owner, reserved_micro_usd, started_at)
    VALUES (@taskId, @journalSeq, @purpose, @route, @day, 'reserved', @owner, @reserved, @now)`);
  const selectCall = db.prepare('SELECT * FROM llm_calls WHERE id = ?');
  const selectTotals = db.prepare('SELECT * FROM cost_totals WHERE key = ?');
  const upsertTotals =
    db.prepare(`INSERT INTO cost_totals (key, spent_micro_usd, reserved_micro_usd, calls, unknown_cost_calls)
    VALUES (@key, @spent, @reserved, @calls, @unknown)
    ON CONFLICT (key) DO UPDATE SET
      spent_micro_usd = spent_micro_usd + @spent,
      reserved_micro_usd = reserved_micro_usd + @reserved,
      calls = calls + @calls,
      unknown_cost_calls = unknown_cost_calls + @unknown`);
  const selectBudget = db.prepare('SELECT limit_micro_usd FROM budgets WHERE scope = ?');
  const selectTaskBudget = db.prepare(
    'SELECT budget_micro_usd, cost_micro_usd, unknown_cost_calls FROM tasks WHERE id = ?',
  );
  const selectTaskReserved = db.prepare(
    "SELECT coalesce(sum(reserved_micro_usd), 0) AS reserved FROM llm_calls WHERE task_id = ? AND state = 'reserved'",
  );
  const addTaskCost = db.prepare(
    'UPDATE tasks SET cost_micro_usd = cost_micro_usd + ?, unknown_cost_calls = unknown_cost_calls + ? WHERE id = ?',
  );
  const selectLimits = db.prepare('SELECT scope, limit_micro_usd FROM budgets');
  const linkJournal = db.prepare('UPDATE llm_calls SET journal_seq = ? WHERE id = ?');
  const updateSettled =
    db.prepare(`UPDATE llm_calls SET state = ?, model = ?, input_tokens = ?, cached_input_tokens = ?,
    output_tokens = ?, cost_micro_usd = ?, cost_source = ?, attempts = ?, finished_at = ? WHERE id = ?`);
  const selectOpenById = db.prepare("SELECT * FROM llm_calls WHERE id = ? AND state = 'reserved'");
  const selectOpenByTask = db.prepare("SELECT * FROM llm_calls WHERE task_id = ? AND state = 'reserved'");
  const markInterrupted = db.prepare(
    "UPDATE llm_calls SET state = 'interrupted', cost_source = 'unknown', error = ?, finished_at = ? WHERE id = ?",
  );

  const totals = (key: string): TotalsRow =>
    (selectTotals.get(key) as TotalsRow | undefined) ?? {
      spent_micro_usd: 0,
      reserved_micro_usd: 0,
      calls: 0,
      unknown_cost_calls: 0,
    };

  const adjustTotals = (
    day: string,
    delta: { spent: number; reserved: number; calls: number; unknown: number },
  ) => {
    for (const key of ['total', `day:${day}`]) upsertTotals.run({ key, ...delta });
  };

  function budgetState(scope: BudgetScope, taskId?: string, day = utcDay(now())): BudgetState {
    if (scope === 'task') {
      const task = selectTaskBudget.get(taskId) as
        { budget_micro_usd: number | null; cost_micro_usd: number; unknown_cost_calls: number } | undefined;
      if (!task) throw new AppError('NOT_FOUND', `no task with id ${taskId}`);
      const reserved = (selectTaskReserved.get(taskId) as { reserved: number }).reserved;
      return state(
        'task',
        taskId as string,
        task.budget_micro_usd,
        task.cost_micro_usd,
        reserved,
        task.unknown_cost_calls,
      );
    }
    const key = scope === 'day' ? `day:${day}` : 'total';
    const row = totals(key);
    const limit =
      (selectBudget.get(scope) as { limit_micro_usd: number } | undefined)?.limit_micro_usd ?? null;
    return state(
      scope,
      scope === 'day' ? day : 'total',
      limit,
      row.spent_micro_usd,
      row.reserved_micro_usd,
      row.unknown_cost_calls,
    );
  }

  function state(
    scope: BudgetScope,
    key: string,
    limit: number | null,
    spent: number,
    reserved: number,
    unknown: number,
  ): BudgetState {
    return {
      scope,
      key,
      limit_micro_usd: limit,
      spent_micro_usd: spent,
      reserved_micro_usd: reserved,
      unknown_cost_calls: unknown,
      remaining_micro_usd: limit === null ? null : Math.max(0, limit - spent - reserved),
    };
  }

  function refuse(budget: BudgetState, taskId: string | null): never {
    const what =
      budget.scope === 'task'
        ? 'the task budget'
        : budget.scope === 'day'
          ? `the budget for ${budget.key} (UTC)`
          : 'the total budget';
    const raise =
      budget.scope === 'task' ? `az cost budget task ${taskId} USD` : `az cost budget ${budget.scope} USD`;
    throw new AppError(
      'BUDGET_EXCEEDED',
      `${what} of ${formatMicroUsd(budget.limit_micro_usd ?? 0)} is used up (${formatMicroUsd(budget.spent_micro_usd)} spent, ` +
        `${formatMicroUsd(budget.reserved_micro_usd)} reserved by calls in flight)`,
      {
        hint: `Raise it with \`${raise}\` (or set_budget), then continue with \`az task resume ${taskId ?? 'ID'}\`.`,
        details: { ...budget, retryable: false },
      },
    );
  }

  return {
    budgetState,

    /**
     * Checks every budget and reserves `estimateMicroUsd` in one transaction. Returns the call id, or the
     * budget to wait for (another call in flight may use it up). Throws BUDGET_EXCEEDED when one is used up.
     */
    tryReserve(request: ReserveRequest): { callId: number } | { waitFor: BudgetState } {
      return writes.write(() => {
        const at = now();
        const day = utcDay(at);
        // Only budgets that exist are checked (most homes have none: the common path is one small query).
        const limits = new Map(
          (selectLimits.all() as { scope: string; limit_micro_usd: number }[]).map(row => [
            row.scope,
            row.limit_micro_usd,
          ]),
        );
        const checks: BudgetState[] = [];
        if (request.taskId !== null) {
          const task = selectTaskBudget.get(request.taskId) as
            { budget_micro_usd: number | null } | undefined;
          if (task && task.budget_micro_usd !== null) checks.push(budgetState('task', request.taskId));
        }
        if (limits.has('day')) checks.push(budgetState('day', undefined, day));
        if (limits.has('total')) checks.push(budgetState('total'));
        const estimate =
          checks.length === 0
            ? 0
            : typeof request.estimateMicroUsd === 'function'
              ? request.estimateMicroUsd()
              : request.estimateMicroUsd;
        for (const budget of checks) {
          const limit = budget.limit_micro_usd;
          if (limit === null) continue;
          if (budget.spent_micro_usd >= limit) refuse(budget, request.taskId);
          const committed = budget.spent_micro_usd + budget.reserved_micro_usd;
          if (committed + estimate <= limit) continue;
          if (budget.reserved_micro_usd > 0) return { waitFor: budget };
        }
        const info = insertCall.run({
          taskId: request.taskId,
          journalSeq: request.journalSeq ?? null,
          purpose: request.purpose,
          route: request.route,
          day,
          owner: request.owner,
          reserved: estimate,
          now: at,
        });
        if (estimate > 0) adjustTotals(day, { spent: 0, reserved: estimate, calls: 0, unknown: 0 });
        return { callId: Number(info.lastInsertRowid) };
      });
    },

    /** tryReserve, waiting (abortably) while calls in flight may use the budget up. */
    async reserve(
      request: ReserveRequest,
      signal?: AbortSignal,
      onWait?: (budget: BudgetState) => void,
    ): Promise<number> {
      let notified = false;
      for (;;) {
        const attempt = this.tryReserve(request);
        if ('callId' in attempt) return attempt.callId;
        if (!notified) onWait?.(attempt.waitFor);
        notified = true;
        await sleep(BUDGET_WAIT_MS, signal);
      }
    },

    /** Records the real cost of a finished call and releases its reservation. Runs inside the caller's transaction when there is one. */
    settle(callId: number, settlement: Settlement, state: 'settled' | 'failed' = 'settled'): void {
      writes.write(() => {
        const call = selectCall.get(callId) as {
          task_id: string | null;
          day: string;
          reserved_micro_usd: number;
          state: string;
        };
        if (call.state !== 'reserved') return;
        const known = settlement.cost.microUsd;
        updateSettled.run(
          state,
          settlement.model,
          settlement.usage?.input ?? null,
          settlement.usage?.cachedInput ?? null,
          settlement.usage?.output ?? null,
          known,
          settlement.cost.source,
          settlement.attempts,
          now(),
          callId,
        );
        const unknown = known === null ? 1 : 0;
        adjustTotals(call.day, { spent: known ?? 0, reserved: -call.reserved_micro_usd, calls: 1, unknown });
        if (call.task_id !== null) addTaskCost.run(known ?? 0, unknown, call.task_id);
      });
      onChange(null);
    },

    /**
     * Closes reservations whose call never finished (the process died, or the call was cancelled mid-flight):
     * the provider may or may not have billed it, so the cost is unknown.
     */
    interrupt(where: { callId?: number; taskId?: string }, reason: string): number {
      const select = (): unknown[] =>
        where.callId !== undefined ? selectOpenById.all(where.callId) : selectOpenByTask.all(where.taskId);
      // Usually there is nothing open: do not start a write transaction for nothing.
      if (!db.inTransaction && select().length === 0) return 0;
      const changed = writes.write(() => {
        const rows = select() as {
          id: number;
          task_id: string | null;
          day: string;
          reserved_micro_usd: number;
        }[];
        for (const call of rows) {
          markInterrupted.run(reason, now(), call.id);
          adjustTotals(call.day, { spent: 0, reserved: -call.reserved_micro_usd, calls: 1, unknown: 1 });
          if (call.task_id !== null) addTaskCost.run(0, 1, call.task_id);
        }
        return rows.length;
      });
      if (changed > 0) onChange(null);
      return changed;
    },

    /** Links a reservation to the journal entry of its call (inside the caller's transaction). */
    linkJournal(callId: number, journalSeq: number): void {
      linkJournal.run(journalSeq, callId);
    },

    setBudget(scope: 'day' | 'total', limitMicroUsd: number | null): void {
      writes.write(() => {
        if (limitMicroUsd === null) db.prepare('DELETE FROM budgets WHERE scope = ?').run(scope);
        else
          db.prepare(
            'INSERT INTO budgets (scope, limit_micro_usd, updated_at) VALUES (?, ?, ?) ON CONFLICT (scope) DO UPDATE SET limit_micro_usd = excluded.limit_micro_usd, updated_at = excluded.updated_at',
          ).run(scope, limitMicroUsd, now());
      });
      onChange(null);
    },
  };
}
