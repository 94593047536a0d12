/** Cost summaries for get_cost_summary and azos://cost: the ledger grouped by task, model or UTC day. */
import type { CostFigures } from '../../protocol/tools/cost-tools.js';
import type { Db } from '../store/database.js';

export interface SummaryQuery {
  groupBy: 'task' | 'model' | 'day';
  since?: string | undefined;
  until?: string | undefined;
  taskId?: string | undefined;
  limit: number;
}

export interface CostSummary {
  group_by: SummaryQuery['groupBy'];
  groups: (CostFigures & { key: string; label: string | null })[];
  total: CostFigures;
  in_flight: { calls: number; reserved_micro_usd: number };
}

const FIGURES = `count(*) AS calls,
  coalesce(sum(c.input_tokens), 0) AS input_tokens,
  coalesce(sum(c.cached_input_tokens), 0) AS cached_input_tokens,
  coalesce(sum(c.output_tokens), 0) AS output_tokens,
  coalesce(sum(c.cost_micro_usd), 0) AS cost_micro_usd,
  coalesce(sum(CASE WHEN c.cost_micro_usd IS NULL THEN 1 ELSE 0 END), 0) AS unknown_cost_calls`;

const KEYS = {
  task: "coalesce(c.task_id, '(none)')",
  model: 'coalesce(c.model, c.route)',
  day: 'c.day',
} as const;

export function costSummary(db: Db, query: SummaryQuery): CostSummary {
  const where = ["c.state != 'reserved'"];
  const params: unknown[] = [];
  if (query.since) {
    where.push('c.day >= ?');
    params.push(query.since);
  }
  if (query.until) {
    where.push('c.day <= ?');
    params.push(query.until);
  }
  if (query.taskId) {
    where.push('c.task_id = ?');
    params.push(query.taskId);
  }
  const filter = `WHERE ${where.join(' AND ')}`;
  const key = KEYS[query.groupBy];
  const label = query.groupBy === 'task' ? 't.title' : 'NULL';
  const join = query.groupBy === 'task' ? 'LEFT JOIN tasks t ON t.id = c.task_id' : '';
  const order = query.groupBy === 'day' ? 'key DESC' : '7 DESC, 3 DESC, 1';
  const groups = db
    .prepare(
      `SELECT ${key} AS key, ${label} AS label, ${FIGURES}
       FROM llm_calls c ${join} ${filter} GROUP BY key ORDER BY ${order} LIMIT ?`,
    )
    .all(...params, query.limit) as CostSummary['groups'];
  const total = db.prepare(`SELECT ${FIGURES} FROM llm_calls c ${filter}`).get(...params) as CostFigures;
  const flightParams: unknown[] = query.taskId ? [query.taskId] : [];
  const inFlight = db
    .prepare(
      `SELECT count(*) AS calls, coalesce(sum(reserved_micro_usd), 0) AS reserved_micro_usd FROM llm_calls
       WHERE state = 'reserved'${query.taskId ? ' AND task_id = ?' : ''}`,
    )
    .get(...flightParams) as CostSummary['in_flight'];
  return {
    group_by: query.groupBy,
    groups,
    total,
    in_flight: inFlight,
  };
}
