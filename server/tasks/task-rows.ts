/** Mapping between task rows in SQLite and the protocol's Task objects. */
import type { ErrorPayload } from '../../protocol/errors.js';
import type { Task, TaskEvent, TaskStatus, TaskSummary } from '../../protocol/task.js';

export interface TaskRow {
  seq: number;
  id: string;
  title: string;
  prompt: string;
  workspace: string;
  status: TaskStatus;
  priority: number;
  model: string | null;
  budget_micro_usd: number | null;
  attempts: number;
  max_attempts: number;
  steps: number;
  cost_micro_usd: number;
  unknown_cost_calls: number;
  error_code: string | null;
  error_message: string | null;
  error_hint: string | null;
  result: string | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
  not_before: number | null;
  lease_owner: string | null;
  lease_expires_at: number | null;
}

export interface TaskEventRow {
  seq: number;
  task_id: string;
  type: string;
  from_status: TaskStatus | null;
  to_status: TaskStatus | null;
  data: string | null;
  created_at: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

export function toTaskSummary(row: TaskRow): TaskSummary {
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    priority: row.priority,
    model: row.model,
    attempts: row.attempts,
    steps: row.steps,
    cost_micro_usd: row.cost_micro_usd,
    unknown_cost_calls: row.unknown_cost_calls,
    error_code: row.error_code,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

export function toTask(row: TaskRow): Task {
  const error: ErrorPayload | null =
    row.error_code === null
      ? null
      : {
          code: row.error_code as ErrorPayload['code'],
          message: row.error_message ?? '',
          ...(row.error_hint === null ? {} : { hint: row.error_hint }),
        };
  return {
    ...toTaskSummary(row),
    prompt: row.prompt,
    workspace: row.workspace,
    max_attempts: row.max_attempts,
    budget_micro_usd: row.budget_micro_usd,
    error,
    result: row.result,
    started_at: isoOrNull(row.started_at),
    finished_at: isoOrNull(row.finished_at),
  };
}

export function toTaskEvent(row: TaskEventRow): TaskEvent {
  let data: Record<string, unknown> | null = null;
  if (row.data !== null) {
    try {
      data = JSON.parse(row.data) as Record<string, unknown>;
    } catch {
      data = { raw: row.data };
    }
  }
  return {
    seq: row.seq,
    task_id: row.task_id,
    type: row.type,
    from_status: row.from_status,
    to_status: row.to_status,
    data,
    created_at: iso(row.created_at),
  };
}
