/** Contracts of the tools that run tasks: run_task (create, start and follow) and resume_task. */
import * as z from 'zod';
import { defineTool } from '../tool-contract.js';
import { TaskSchema } from '../task.js';
import { IdSchema } from '../text-rules.js';
import { createTaskTool } from './task-tools.js';

export const RUN_TASK_DEFAULT_TIMEOUT_SECONDS = 50;
export const RUN_TASK_MAX_TIMEOUT_SECONDS = 110;

export const runTaskTool = defineTool({
  name: 'run_task',
  title: 'Run task',
  description:
    'Create a task, start it, and follow it until it settles or the timeout passes, sending a progress ' +
    'notification for each step, tool call and cost. Never fails on timeout: check `done`, and keep following ' +
    `with wait_task. Default ${RUN_TASK_DEFAULT_TIMEOUT_SECONDS} s, max ${RUN_TASK_MAX_TIMEOUT_SECONDS} s. ` +
    'Use create_task to start without waiting.',
  input: () =>
    createTaskTool.input.omit({ start: true }).extend({
      timeout_seconds: z
        .number()
        .min(0)
        .max(RUN_TASK_MAX_TIMEOUT_SECONDS)
        .optional()
        .describe('How long to follow the task before returning its current state'),
    }),
  output: () =>
    z.object({
      task: TaskSchema(),
      done: z.boolean().describe('true when the task has settled'),
      waited_ms: z.number().int(),
    }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  profile: 'core',
  access: 'write',
});

export const UNFINISHED_CALL_CHOICES = ['stop', 'assume_done', 'rerun'] as const;
export type UnfinishedCallChoice = (typeof UNFINISHED_CALL_CHOICES)[number];

export const resumeTaskTool = defineTool({
  name: 'resume_task',
  title: 'Resume task',
  description:
    'Continue a FAILED task (or one whose process died) from its journal: finished steps are replayed from the ' +
    'record, not run again. A tool call that started but has no recorded result is run again only when the tool ' +
    'is read-only or idempotent; otherwise resume stops with NEEDS_ATTENTION saying what to check, and you ' +
    'choose unfinished_call: assume_done (it took effect) or rerun (run it again). Returns at once; follow with wait_task.',
  input: () =>
    z.strictObject({
      task_id: IdSchema(),
      unfinished_call: z
        .enum(UNFINISHED_CALL_CHOICES)
        .optional()
        .describe(
          'What to do with a non-idempotent call whose result was lost: stop (default), assume_done, rerun',
        ),
    }),
  output: () => z.object({ task: TaskSchema() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  profile: 'core',
  access: 'write',
});
