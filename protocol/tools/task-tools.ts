/** Contracts of the task tools: create, list, inspect, follow, cancel and retry AZ-OS tasks. */
import * as z from 'zod';
import { lazySchema } from '../lazy-schema.js';
import { READ_ONLY, defineTool } from '../tool-contract.js';
import { TaskEventSchema, TaskSchema, TaskStatusSchema, TaskSummarySchema } from '../task.js';
import { AbsolutePathSchema, IdSchema, ModelNameSchema, PromptSchema, TitleSchema } from '../text-rules.js';

const TaskIdInput = lazySchema(() =>
  z.strictObject({
    task_id: IdSchema().describe('The task id (a UUID) returned by create_task'),
  }),
);
const TaskResult = lazySchema(() => z.object({ task: TaskSchema() }));

export const createTaskTool = defineTool({
  name: 'create_task',
  title: 'Create task',
  description:
    'Queue a new AZ-OS task for the agent to carry out and return its id at once (does not wait). ' +
    'Follow it with wait_task or get_task. Use run_task instead to create and wait in one call.',
  input: () =>
    z.strictObject({
      prompt: PromptSchema().describe('What the agent should do, in plain language'),
      title: TitleSchema()
        .optional()
        .describe('Short one-line title; defaults to the first line of the prompt'),
      workspace: AbsolutePathSchema()
        .optional()
        .describe(
          'Absolute path of the directory the agent works in; defaults to a fresh directory under AZ_HOME/workspaces',
        ),
      priority: z.number().int().min(0).max(9).optional().describe('0 (lowest) to 9 (highest); default 5'),
      model: ModelNameSchema().optional().describe('Model route (default, cheap, strong) or model name'),
      budget_usd: z
        .number()
        .positive()
        .max(100_000)
        .optional()
        .describe('Spending cap for this task in US dollars'),
      max_attempts: z
        .number()
        .int()
        .min(1)
        .max(10)
        .optional()
        .describe('Attempts before the task stays FAILED'),
      start: z
        .boolean()
        .optional()
        .describe('Queue the task now (default true); false leaves it INITIALIZED'),
    }),
  output: () => TaskResult(),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  profile: 'core',
  access: 'write',
});

export const LIST_TASKS_MAX_LIMIT = 200;

export const listTasksTool = defineTool({
  name: 'list_tasks',
  title: 'List tasks',
  description:
    'List tasks, newest first, with optional status and title filters. Returns at most `limit` tasks ' +
    `(default 50, max ${LIST_TASKS_MAX_LIMIT}) and a next_cursor to fetch the following page.`,
  input: () =>
    z.strictObject({
      status: z.array(TaskStatusSchema()).max(8).optional().describe('Only tasks in these statuses'),
      search: z
        .string()
        .max(200)
        .optional()
        .describe('Only tasks whose title contains this text (case-insensitive)'),
      limit: z.number().int().min(1).max(LIST_TASKS_MAX_LIMIT).optional().describe('Page size (default 50)'),
      cursor: z.string().max(100).optional().describe('next_cursor from the previous page'),
    }),
  output: () =>
    z.object({
      tasks: z.array(TaskSummarySchema()),
      next_cursor: z.string().nullable(),
    }),
  annotations: READ_ONLY,
  profile: 'core',
  access: 'read',
});

export const getTaskTool = defineTool({
  name: 'get_task',
  title: 'Get task',
  description: 'Return one task with its status, result or error, attempts, steps and cost.',
  input: () => TaskIdInput(),
  output: () => TaskResult(),
  annotations: READ_ONLY,
  profile: 'core',
  access: 'read',
});

export const GET_TASK_LOG_MAX_LIMIT = 500;

export const getTaskLogTool = defineTool({
  name: 'get_task_log',
  title: 'Get task log',
  description:
    "Return a task's event log in order: status changes, agent steps, tool calls and errors. " +
    `Page with after_seq (default 100 events, max ${GET_TASK_LOG_MAX_LIMIT}).`,
  input: () =>
    z.strictObject({
      task_id: IdSchema(),
      after_seq: z.number().int().min(0).optional().describe('Only events with seq greater than this'),
      limit: z.number().int().min(1).max(GET_TASK_LOG_MAX_LIMIT).optional(),
    }),
  output: () =>
    z.object({
      events: z.array(TaskEventSchema()),
      next_after_seq: z.number().int().nullable(),
    }),
  annotations: READ_ONLY,
  profile: 'core',
  access: 'read',
});

export const cancelTaskTool = defineTool({
  name: 'cancel_task',
  title: 'Cancel task',
  description:
    'Cancel a queued or running task. A running task stops its model call and tools within a second. ' +
    'Cancelling a task that already finished is an error that names its status.',
  input: () =>
    z.strictObject({
      task_id: IdSchema(),
      reason: z.string().max(500).optional().describe('Why, kept in the task log'),
    }),
  output: () => TaskResult(),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  profile: 'core',
  access: 'write',
});

export const retryTaskTool = defineTool({
  name: 'retry_task',
  title: 'Retry task',
  description:
    'Start a FAILED task again from the beginning as a new attempt (its attempts count goes up). ' +
    'To continue from where it stopped instead, use resume_task.',
  input: () => TaskIdInput(),
  output: () => TaskResult(),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  profile: 'full',
  access: 'write',
});

export const WAIT_TASK_DEFAULT_TIMEOUT_SECONDS = 25;
export const WAIT_TASK_MAX_TIMEOUT_SECONDS = 110;

export const waitTaskTool = defineTool({
  name: 'wait_task',
  title: 'Wait for task',
  description:
    'Wait until a task settles (COMPLETED, FAILED, CANCELLED or FINALIZED) or the timeout passes, then return ' +
    `its current state. Never fails on timeout: check \`done\`. Default ${WAIT_TASK_DEFAULT_TIMEOUT_SECONDS} s, ` +
    `max ${WAIT_TASK_MAX_TIMEOUT_SECONDS} s; call again to keep waiting.`,
  input: () =>
    z.strictObject({
      task_id: IdSchema(),
      timeout_seconds: z.number().min(0).max(WAIT_TASK_MAX_TIMEOUT_SECONDS).optional(),
    }),
  output: () =>
    z.object({
      task: TaskSchema(),
      done: z.boolean().describe('true when the task has settled'),
      waited_ms: z.number().int(),
    }),
  annotations: READ_ONLY,
  profile: 'core',
  access: 'read',
});
