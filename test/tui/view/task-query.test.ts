import { describe, expect, it } from 'vitest';
import type { TaskSummary } from '../../../protocol/task.js';
import { DEFAULT_SORT, queryTasks } from '../../../tui/view/task-query.js';

const task = (id: string, patch: Partial<TaskSummary>): TaskSummary => ({
  id,
  title: id,
  status: 'PENDING',
  priority: 5,
  model: null,
  attempts: 0,
  steps: 0,
  cost_micro_usd: 0,
  unknown_cost_calls: 0,
  error_code: null,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
  ...patch,
});

// Newest first, as list_tasks returns them.
const tasks = [
  task('c3', {
    title: 'Deploy production',
    status: 'FAILED',
    model: 'gpt-4o',
    cost_micro_usd: 300,
    steps: 2,
    created_at: '2026-01-03T00:00:00.000Z',
  }),
  task('b2', {
    title: 'write report',
    status: 'RUNNING',
    cost_micro_usd: 900,
    steps: 9,
    created_at: '2026-01-02T00:00:00.000Z',
  }),
  task('a1', {
    title: 'deploy staging',
    status: 'COMPLETED',
    model: 'gpt-4o-mini',
    cost_micro_usd: 100,
    steps: 5,
    created_at: '2026-01-01T00:00:00.000Z',
  }),
];
const ids = (rows: readonly TaskSummary[]) => rows.map(row => row.id).join(' ');

describe('queryTasks', () => {
  it('keeps the server order (newest first) by default', () => {
    expect(ids(queryTasks(tasks, '', DEFAULT_SORT))).toBe('c3 b2 a1');
  });

  it('matches every word against title, id prefix, status or model, ignoring case', () => {
    expect(ids(queryTasks(tasks, 'DEPLOY', DEFAULT_SORT))).toBe('c3 a1');
    expect(ids(queryTasks(tasks, 'deploy fail', DEFAULT_SORT))).toBe('c3');
    expect(ids(queryTasks(tasks, 'mini', DEFAULT_SORT))).toBe('a1');
    expect(ids(queryTasks(tasks, 'b2', DEFAULT_SORT))).toBe('b2');
    expect(ids(queryTasks(tasks, 'nothing-like-this', DEFAULT_SORT))).toBe('');
  });

  it('sorts by cost, steps, status (attention first) and title, either way', () => {
    expect(ids(queryTasks(tasks, '', { key: 'cost', descending: true }))).toBe('b2 c3 a1');
    expect(ids(queryTasks(tasks, '', { key: 'cost', descending: false }))).toBe('a1 c3 b2');
    expect(ids(queryTasks(tasks, '', { key: 'steps', descending: true }))).toBe('b2 a1 c3');
    expect(ids(queryTasks(tasks, '', { key: 'status', descending: true }))).toBe('b2 c3 a1');
    expect(ids(queryTasks(tasks, '', { key: 'title', descending: true }))).toBe('c3 a1 b2');
    expect(ids(queryTasks(tasks, '', { key: 'created', descending: false }))).toBe('a1 b2 c3');
  });

  it('keeps ties in server order', () => {
    const same = [task('x', {}), task('y', {}), task('z', {})];
    expect(ids(queryTasks(same, '', { key: 'cost', descending: true }))).toBe('x y z');
    expect(ids(queryTasks(same, '', { key: 'cost', descending: false }))).toBe('x y z');
  });
});
