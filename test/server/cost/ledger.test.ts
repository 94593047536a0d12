import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppError } from '../../../protocol/errors.js';
import { createCostLedger, type CostLedger } from '../../../server/cost/ledger.js';
import { costSummary } from '../../../server/cost/summary.js';
import { openDatabase, type Db } from '../../../server/store/database.js';
import { migrate } from '../../../server/store/migrate.js';
import { createRelaxedWrites, type RelaxedWrites } from '../../../server/store/relaxed-writes.js';
import { createTaskStore } from '../../../server/tasks/task-store.js';
import { createTempHome, type TempHome } from '../../helpers/temp-home.js';

describe('cost ledger and budgets', () => {
  let temp: TempHome;
  let db: Db;
  let writes: RelaxedWrites;
  let ledger: CostLedger;
  let now: number;

  beforeEach(() => {
    now = Date.UTC(2026, 2, 1, 12);
    temp = createTempHome();
    const path = `${temp.home}/az.db`;
    db = openDatabase(path);
    migrate(db);
    writes = createRelaxedWrites(db, path);
    ledger = createCostLedger({ db, writes, now: () => now, onChange: () => undefined });
  });

  afterEach(async () => {
    await writes.close();
    db.close();
    temp.cleanup();
  });

  const task = (budgetMicroUsd: number | null = null): string =>
    createTaskStore({ db }).create({
      title: 't',
      prompt: 'p',
      workspace: temp.home,
      priority: 5,
      model: null,
      budgetMicroUsd,
      maxAttempts: 1,
      start: true,
      createdBy: null,
    }).id;

  const settle = (callId: number, microUsd: number | null, model = 'gpt-4o-mini') =>
    ledger.settle(callId, {
      model,
      usage: { input: 10, cachedInput: 0, output: 1 },
      cost: { microUsd, source: microUsd === null ? 'unknown' : 'price_table' },
      attempts: 1,
    });

  const refusal = (work: () => unknown): AppError => {
    try {
      work();
    } catch (error) {
      return error as AppError;
    }
    throw new Error('expected BUDGET_EXCEEDED');
  };

  const reserve = (estimateMicroUsd: number, taskId: string | null = null) =>
    ledger.tryReserve({ taskId, purpose: 'step', route: 'default', estimateMicroUsd, owner: 'a' });
  const callId = (estimateMicroUsd: number, taskId: string | null = null): number => {
    const result = reserve(estimateMicroUsd, taskId);
    if (!('callId' in result)) throw new Error('expected the call to be admitted');
    return result.callId;
  };

  it('admits parallel calls whose reservations fit, makes one that may not fit wait for the others, and admits it alone', () => {
    ledger.setBudget('day', 1_000);
    const first = callId(600);
    const second = callId(300);
    expect(reserve(200)).toMatchObject({ waitFor: { scope: 'day', reserved_micro_usd: 900 } });
    settle(first, 100);
    settle(second, 100);
    // Nothing in flight: a call that may overshoot is admitted as the only one.
    const sole = callId(5_000);
    expect(reserve(1)).toMatchObject({ waitFor: { scope: 'day' } });
    settle(sole, 900);
    const error = refusal(() => reserve(1));
    expect(error.code).toBe('BUDGET_EXCEEDED');
    expect(error.message).toMatch(
      /budget for 2026-03-01 \(UTC\) of \$0\.001000 is used up \(\$0\.001100 spent/,
    );
    expect(error.hint).toMatch(/az cost budget day USD/);
    expect(ledger.budgetState('day')).toMatchObject({
      spent_micro_usd: 1_100,
      reserved_micro_usd: 0,
      remaining_micro_usd: 0,
    });
  });

  it('checks the task budget against the task cost and its calls in flight', () => {
    const id = task(300);
    settle(callId(50, id), 300);
    expect(refusal(() => reserve(1, id)).message).toMatch(/the task budget/);
    expect(ledger.budgetState('task', id)).toMatchObject({
      limit_micro_usd: 300,
      spent_micro_usd: 300,
      remaining_micro_usd: 0,
    });
  });

  it('checks the total budget across days, and a new day starts a fresh day budget', () => {
    ledger.setBudget('total', 500);
    ledger.setBudget('day', 300);
    settle(callId(0), 300);
    expect(refusal(() => reserve(0)).message).toMatch(/budget for 2026-03-01/);
    now += 24 * 3600 * 1000;
    settle(callId(0), 250);
    expect(refusal(() => reserve(0)).message).toMatch(/the total budget/);
  });

  it('records interrupted and unpriced calls as unknown cost, and summarises by model, task and day', () => {
    const id = task();
    settle(callId(10, id), 120);
    settle(callId(10, id), null, 'private-model');
    callId(10, id);
    expect(ledger.interrupt({ taskId: id }, 'process died')).toBe(1);
    const byModel = costSummary(db, { groupBy: 'model', limit: 10 });
    expect(byModel.total).toMatchObject({ calls: 3, cost_micro_usd: 120, unknown_cost_calls: 2 });
    expect(byModel.groups.map(group => [group.key, group.cost_micro_usd, group.unknown_cost_calls])).toEqual([
      ['gpt-4o-mini', 120, 0],
      ['default', 0, 1],
      ['private-model', 0, 1],
    ]);
    expect(costSummary(db, { groupBy: 'task', limit: 10 }).groups[0]).toMatchObject({
      key: id,
      label: 't',
      calls: 3,
    });
    expect(costSummary(db, { groupBy: 'day', limit: 10 }).groups[0]?.key).toBe('2026-03-01');
    expect(ledger.budgetState('total')).toMatchObject({
      spent_micro_usd: 120,
      reserved_micro_usd: 0,
      unknown_cost_calls: 2,
    });
  });
});
