/**
 * AZ-OS's task domain object as seen over MCP. ("Task" here is AZ-OS's own object, not MCP's tasks extension.)
 */
import * as z from 'zod';
import { ErrorPayloadSchema } from './errors.js';
import { lazySchema } from './lazy-schema.js';

export const TASK_STATUSES = [
  'INITIALIZED',
  'PENDING',
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'RETRYING',
  'CANCELLED',
  'FINALIZED',
] as const;
export const TaskStatusSchema = lazySchema(() => z.enum(TASK_STATUSES));
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Statuses in which a task will not move again without a user action (retry, resume). */
export const SETTLED_STATUSES: readonly TaskStatus[] = ['COMPLETED', 'FAILED', 'CANCELLED', 'FINALIZED'];

const IsoTimeSchema = lazySchema(() => z.string().describe('ISO 8601 timestamp (UTC)'));

export const TaskSummarySchema = lazySchema(() =>
  z.object({
    id: z.string(),
    title: z.string(),
    status: TaskStatusSchema(),
    priority: z.number().int(),
    model: z.string().nullable(),
    attempts: z.number().int(),
    steps: z.number().int(),
    cost_micro_usd: z.number().int().describe('Known cost so far, in micro-dollars (1 USD = 1,000,000)'),
    unknown_cost_calls: z
      .number()
      .int()
      .describe(
        'Model calls whose cost is unknown (model not in the price table): cost_micro_usd is then a floor',
      ),
    error_code: z.string().nullable(),
    created_at: IsoTimeSchema(),
    updated_at: IsoTimeSchema(),
  }),
);
export type TaskSummary = z.infer<ReturnType<typeof TaskSummarySchema>>;

export const TaskSchema = lazySchema(() =>
  TaskSummarySchema().extend({
    prompt: z.string(),
    workspace: z.string(),
    max_attempts: z.number().int(),
    budget_micro_usd: z.number().int().nullable(),
    error: ErrorPayloadSchema().nullable(),
    result: z.string().nullable(),
    started_at: IsoTimeSchema().nullable(),
    finished_at: IsoTimeSchema().nullable(),
  }),
);
export type Task = z.infer<ReturnType<typeof TaskSchema>>;

export const TaskEventSchema = lazySchema(() =>
  z.object({
    seq: z.number().int(),
    task_id: z.string(),
    type: z.string(),
    from_status: TaskStatusSchema().nullable(),
    to_status: TaskStatusSchema().nullable(),
    data: z.record(z.string(), z.unknown()).nullable(),
    created_at: IsoTimeSchema(),
  }),
);
export type TaskEvent = z.infer<ReturnType<typeof TaskEventSchema>>;

export function isSettled(status: TaskStatus): boolean {
  return SETTLED_STATUSES.includes(status);
}
