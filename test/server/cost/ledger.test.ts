import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../protocol/errors.js';
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
    ledger.settle(callId, { model, usage: { input: 10, cachedInput: 0, output: 1 }, cost: { microUsd, source: microUsd === null ? 'unknown' : 'price_table' }, attempts: 1 });

  const refusal = (work: () => unknown): AppError => {
    try {
      work();
    } catch (error) {
      return error as AppError;
    }
    throw new Error('expected BUDGET_EXCEEDED');
  };

  it('admits parallel reservations only while spend plus reservations is below the budget', () => {
    ledger.setBudget('day', 1_000);
    const first = ledger.reserve({ taskId: null, purpose: 'step', route: 'default', estimateMicroUsd: 600, owner: 'a' });
    ledger.reserve({ taskId: null, purpose: 'step', route: 'default', estimateMicroUsd: 600, owner: 'b' });
    const error = refusal(() => ledger.reserve({ taskId: null, purpose: 'step', route: 'default', estimateMicroUsd: 1, owner: 'c' }));
    expect(error.code).toBe('BUDGET_EXCEEDED');
    expect(error.message).toMatch(/budget for 2026-03-01 \(UTC\) of \$0\.001000 is used up/);
    expect(error.hint).toMatch(/az cost budget day USD/);
    // Settling releases the reservation and counts the real cost.
    settle(first, 100);
    expect(ledger.budgetState('day')).toMatchObject({ spent_micro_usd: 100, reserved_micro_usd: 600, remaining_micro_usd: 300 });
  });

  it('checks the task budget against the task cost and its calls in flight', () => {
    const id = task(300);
    const call = ledger.reserve({ taskId: id, purpose: 'step', route: 'default', estimateMicroUsd: 50, owner: 'a' });
    settle(call, 300);
    expect(refusal(() => ledger.reserve({ taskId: id, purpose: 'step', route: 'default', estimateMicroUsd: 1, owner: 'a' })).message).toMatch(/the task budget/);
    expect(ledger.budgetState('task', id)).toMatchObject({ limit_micro_usd: 300, spent_micro_usd: 300, remaining_micro_usd: 0 });
  });

  it('checks the total budget across days, and a new day starts a fresh day budget', () => {
    ledger.setBudget('total', 500);
    ledger.setBudget('day', 300);
    settle(ledger.reserve({ taskId: null, purpose: 'step', route: 'r', estimateMicroUsd: 0, owner: null }), 300);
    expect(refusal(() => ledger.reserve({ taskId: null, purpose: 'step', route: 'r', estimateMicroUsd: 0, owner: null })).message).toMatch(/budget for 2026-03-01/);
    now += 24 * 3600 * 1000;
    settle(ledger.reserve({ taskId: null, purpose: 'step', route: 'r', estimateMicroUsd: 0, owner: null }), 250);
    expect(refusal(() => ledger.reserve({ taskId: null, purpose: 'step', route: 'r', estimateMicroUsd: 0, owner: null })).message).toMatch(/the total budget/);
  });

  it('records interrupted and unpriced calls as unknown cost, and summarises by model, task and day', () => {
    const id = task();
    settle(ledger.reserve({ taskId: id, purpose: 'step', route: 'default', estimateMicroUsd: 10, owner: 'a' }), 120);
    settle(ledger.reserve({ taskId: id, purpose: 'step', route: 'default', estimateMicroUsd: 10, owner: 'a' }), null, 'private-model');
    ledger.reserve({ taskId: id, purpose: 'step', route: 'default', estimateMicroUsd: 10, owner: 'a' });
    expect(ledger.interrupt({ taskId: id }, 'process died')).toBe(1);
    const byModel = costSummary(db, { groupBy: 'model', limit: 10 });
    expect(byModel.total).toMatchObject({ calls: 3, cost_micro_usd: 120, unknown_cost_calls: 2 });
    expect(byModel.groups.map(group => [group.key, group.cost_micro_usd, group.unknown_cost_calls])).toEqual([
      ['gpt-4o-mini', 120, 0],
      ['default', 0, 1],
      ['private-model', 0, 1],
    ]);
    expect(costSummary(db, { groupBy: 'task', limit: 10 }).groups[0]).toMatchObject({ key: id, label: 't', calls: 3 });
    expect(costSummary(db, { groupBy: 'day', limit: 10 }).groups[0]?.key).toBe('2026-03-01');
    expect(ledger.budgetState('total')).toMatchObject({ spent_micro_usd: 120, reserved_micro_usd: 0, unknown_cost_calls: 2 });
  });
});
