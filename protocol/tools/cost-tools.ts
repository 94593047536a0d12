/** Contracts of the cost tools: what AZ-OS spent on model calls, and the budgets that cap it. */
import * as z from 'zod';
import { lazySchema } from '../lazy-schema.js';
import { READ_ONLY, defineTool } from '../tool-contract.js';
import { IdSchema } from '../text-rules.js';

const DaySchema = lazySchema(() =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a UTC day such as 2026-03-01')
    .describe('UTC day, YYYY-MM-DD'),
);

export const CostFiguresSchema = lazySchema(() =>
  z.object({
    calls: z.number().int().describe('Model calls that finished (or were interrupted)'),
    input_tokens: z.number().int(),
    cached_input_tokens: z.number().int(),
    output_tokens: z.number().int(),
    cost_micro_usd: z.number().int().describe('Known cost in micro-dollars (1 USD = 1,000,000)'),
    unknown_cost_calls: z
      .number()
      .int()
      .describe(
        'Calls whose cost is unknown (unpriced model, or interrupted mid-call): the cost is then a floor',
      ),
  }),
);
export type CostFigures = z.infer<ReturnType<typeof CostFiguresSchema>>;

export const COST_GROUPS = ['task', 'model', 'day'] as const;

export const costSummaryTool = defineTool({
  name: 'get_cost_summary',
  title: 'Get cost summary',
  description:
    'Report what model calls cost, grouped by task, model or UTC day, with token counts. Money is in integer ' +
    'micro-dollars (divide by 1,000,000 for USD). Calls whose price is unknown are counted, never priced at 0.',
  input: () =>
    z.strictObject({
      group_by: z.enum(COST_GROUPS).optional().describe('task, model (default) or day'),
      since: DaySchema().optional().describe('First UTC day to include'),
      until: DaySchema().optional().describe('Last UTC day to include'),
      task_id: IdSchema().optional().describe('Only this task'),
      limit: z
        .number()
        .int()
        .min(1)
        .max(500)
        .optional()
        .describe('Groups to return, largest cost first (default 50)'),
    }),
  output: () =>
    z.object({
      group_by: z.enum(COST_GROUPS),
      groups: z.array(
        CostFiguresSchema().extend({
          key: z.string().describe('Task id, model name or day'),
          label: z.string().nullable().describe('Task title when grouped by task'),
        }),
      ),
      total: CostFiguresSchema(),
      in_flight: z.object({
        calls: z.number().int(),
        reserved_micro_usd: z.number().int().describe('Held by calls still running'),
      }),
    }),
  annotations: READ_ONLY,
  profile: 'full',
  access: 'read',
});

export const BudgetStateSchema = lazySchema(() =>
  z.object({
    scope: z.enum(['task', 'day', 'total']),
    key: z.string().describe('Task id, UTC day or "total"'),
    limit_micro_usd: z.number().int().nullable().describe('null: no budget'),
    spent_micro_usd: z.number().int(),
    reserved_micro_usd: z.number().int().describe('Held by model calls in flight'),
    unknown_cost_calls: z.number().int(),
    remaining_micro_usd: z.number().int().nullable(),
  }),
);
export type BudgetState = z.infer<ReturnType<typeof BudgetStateSchema>>;

export const getBudgetTool = defineTool({
  name: 'get_budget',
  title: 'Get budgets',
  description:
    "Show the spending caps with what is spent and reserved against them: today's budget (UTC), the total " +
    'budget, and a task budget when task_id is given. Amounts are micro-dollars.',
  input: () => z.strictObject({ task_id: IdSchema().optional() }),
  output: () => z.object({ budgets: z.array(BudgetStateSchema()) }),
  annotations: READ_ONLY,
  profile: 'full',
  access: 'read',
});

export const setBudgetTool = defineTool({
  name: 'set_budget',
  title: 'Set budget',
  description:
    'Set or remove a spending cap in US dollars: per task (scope task with task_id), per UTC day, or in total. ' +
    'Every model call is checked against all three before it starts; a task that hits a cap fails with ' +
    'BUDGET_EXCEEDED and can be resumed after raising it.',
  input: () =>
    z.strictObject({
      scope: z.enum(['task', 'day', 'total']),
      task_id: IdSchema().optional().describe('Required for scope task'),
      limit_usd: z
        .number()
        .min(0)
        .max(1_000_000)
        .nullable()
        .describe('The cap in US dollars; null removes it'),
    }),
  output: () => z.object({ budget: BudgetStateSchema() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  profile: 'full',
  access: 'admin',
});
