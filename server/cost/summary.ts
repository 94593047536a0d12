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
  coalesce(sum(input_tokens), 0) AS input_tokens,
  coalesce(sum(cached_input_tokens), 0) AS cached_input_tokens,
  coalesce(sum(output_tokens), 0) AS output_tokens,
  coalesce(sum(cost_micro_usd), 0) AS cost_micro_usd,
  sum(CASE WHEN cost_micro_usd IS NULL THEN 1 ELSE 0 END) AS unknown_cost_calls`;

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
  const order = query.groupBy === 'day' ? 'key DESC' : 'cost_micro_usd DESC, calls DESC';
  const groups = db
    .prepare(
      `SELECT ${key} AS key, ${label} AS label, ${FIGURES.replace(/\b(input_tokens|cached_input_tokens|output_tokens|cost_micro_usd)\)/g, 'c.$1)')}
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
    groups: groups.map(group => ({ ...group, unknown_cost_calls: group.unknown_cost_calls ?? 0 })),
    total: { ...total, unknown_cost_calls: total.unknown_cost_calls ?? 0 },
    in_flight: inFlight,
  };
}
