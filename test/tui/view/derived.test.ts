import { describe, expect, it } from 'vitest';
import { costFromTasks, throughput } from '../../../tui/view/derived.js';
import type { TaskSummary } from '../../../protocol/task.js';

const summary = (patch: Partial<TaskSummary>): TaskSummary => ({
  id: Math.random().toString(36).slice(2),
  title: 't',
  status: 'COMPLETED',
  priority: 5,
  model: null,
  attempts: 1,
  steps: 1,
  cost_micro_usd: 0,
  unknown_cost_calls: 0,
  error_code: null,
  created_at: new Date(0).toISOString(),
  updated_at: new Date(0).toISOString(),
  ...patch,
});

describe('derived figures', () => {
  const now = Date.parse('2026-03-10T12:00:00Z');
  const recent = new Date(now - 5 * 60_000).toISOString();

  it('computes throughput and error rate over tasks settled in the window', () => {
    const tasks = [
      summary({ status: 'COMPLETED', updated_at: recent }),
      summary({ status: 'COMPLETED', updated_at: recent }),
      summary({ status: 'FAILED', updated_at: recent }),
      summary({ status: 'FAILED', updated_at: new Date(now - 3 * 3_600_000).toISOString() }),
      summary({ status: 'RUNNING', updated_at: recent }),
    ];
    const rate = throughput(tasks, now, 60);
    expect(rate.settled).toBe(3);
    expect(rate.errorRate).toBeCloseTo(1 / 3);
    expect(rate.completedPerMinute).toBeCloseTo(2 / 60);
    expect(throughput([], now).errorRate).toBeUndefined();
  });

  it('sums cost from the task list by model and day when the server has no cost tools', () => {
    const today = new Date(now).toISOString();
    const view = costFromTasks(
      [
        summary({ model: 'gpt-4o', cost_micro_usd: 2_000_000, created_at: today }),
        summary({ model: null, cost_micro_usd: 500_000, unknown_cost_calls: 2, created_at: today }),
        summary({
          model: 'gpt-4o',
          cost_micro_usd: 1_000_000,
          created_at: new Date(now - 2 * 86_400_000).toISOString(),
        }),
      ],
      now,
    );
    expect(view).toMatchObject({
      source: 'tasks',
      todayMicroUsd: 2_500_000,
      totalMicroUsd: 3_500_000,
      unknownCostCalls: 2,
      budgets: undefined,
      today: { zone: 'local' },
    });
    expect(view.byModel).toEqual([
      { model: 'gpt-4o', costMicroUsd: 3_000_000, calls: undefined, unknownCostCalls: 0 },
      { model: 'default route', costMicroUsd: 500_000, calls: undefined, unknownCostCalls: 2 },
    ]);
    expect(view.byDay).toHaveLength(14);
    expect(view.byDay.at(-1)?.costMicroUsd).toBe(2_500_000);
  });
});
