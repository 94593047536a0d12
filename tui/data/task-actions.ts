/**
 * What the dashboard can do to tasks: cancel, retry, resume and create, each one MCP tool call. Results and
 * failures become a one-line notice; the task list follows through the live updates. A resume that stops at
 * a tool call whose result was lost (NEEDS_ATTENTION) is handed back, so the user can choose what happened.
 */
import type { DashboardClient } from './connection.js';
import { isAppError, type AppError } from '../../protocol/errors.js';
import { clean } from '../../protocol/terminal-text.js';
import { resumeTaskTool } from '../../protocol/tools/agent-tools.js';
import { cancelTaskTool, createTaskTool, retryTaskTool } from '../../protocol/tools/task-tools.js';
import { compactJson } from '../format.js';

/** A non-idempotent tool call that started before the task stopped, without a recorded result. */
export interface UnfinishedCall {
  taskId: string;
  /** One line: which call, with which arguments. */
  summary: string;
}

/** How to resume past an unfinished call: it took effect (assume_done), or run it again (rerun). */
export type UnfinishedChoice = 'assume_done' | 'rerun';

export type ResumeResult = 'resumed' | 'failed' | { unfinished: UnfinishedCall };

export interface TaskActions {
  cancelTask(taskId: string): Promise<boolean>;
  retryTask(taskId: string): Promise<boolean>;
  resumeTask(taskId: string, choice?: UnfinishedChoice): Promise<ResumeResult>;
  /** Returns the new task's id, or undefined when the server refused. */
  createTask(prompt: string): Promise<string | undefined>;
}

export interface TaskActionDeps {
  client: () => DashboardClient;
  workspace: string | undefined;
  notify: (kind: 'info' | 'error', text: string) => void;
  afterChange: () => void;
  title: (taskId: string) => string | undefined;
}

export function createTaskActions(deps: TaskActionDeps): TaskActions {
  const name = (taskId: string): string => {
    const title = deps.title(taskId);
    return title ? `'${clean(title).slice(0, 40)}'` : taskId.slice(0, 8);
  };

  const attempt = async (
    run: () => Promise<string>,
    what: string,
    intercept?: (error: AppError) => boolean,
  ): Promise<boolean> => {
    try {
      deps.notify('info', await run());
      deps.afterChange();
      return true;
    } catch (error) {
      if (isAppError(error) && intercept?.(error)) return false;
      const message = isAppError(error)
        ? `${error.message}${error.hint ? ` (${error.hint})` : ''}`
        : error instanceof Error
          ? error.message
          : String(error);
      deps.notify('error', `${what} failed: ${clean(message)}`);
      return false;
    }
  };

  return {
    cancelTask: taskId =>
      attempt(async () => {
        const { task } = await deps.client().call(cancelTaskTool, {
          task_id: taskId,
          reason: 'cancelled from the dashboard',
        });
        return `${name(taskId)} is ${task.status}`;
      }, 'cancel'),
    retryTask: taskId =>
      attempt(async () => {
        const { task } = await deps.client().call(retryTaskTool, { task_id: taskId });
        return `${name(taskId)} retried: ${task.status} (attempt ${task.attempts + 1})`;
      }, 'retry'),
    async resumeTask(taskId, choice) {
      let unfinished: UnfinishedCall | undefined;
      const resumed = await attempt(
        async () => {
          const { task } = await deps.client().call(resumeTaskTool, {
            task_id: taskId,
            ...(choice ? { unfinished_call: choice } : {}),
          });
          const how = choice === 'assume_done' ? ' (the unfinished call counted as done)' : '';
          return `${name(taskId)} resumes from its journal${how}: ${task.status}`;
        },
        'resume',
        error => {
          if (error.code !== 'NEEDS_ATTENTION') return false;
          unfinished = { taskId, summary: unfinishedSummary(error) };
          return true;
        },
      );
      if (unfinished) return { unfinished };
      return resumed ? 'resumed' : 'failed';
    },
    async createTask(prompt) {
      let id: string | undefined;
      await attempt(async () => {
        const { task } = await deps.client().call(createTaskTool, {
          prompt,
          ...(deps.workspace ? { workspace: deps.workspace } : {}),
        });
        id = task.id;
        return `created ${task.id.slice(0, 8)} '${clean(task.title).slice(0, 40)}'`;
      }, 'create');
      return id;
    },
  };
}

/** `step 2: write_file {"path":"a.ts"}` from NEEDS_ATTENTION's details, or its message. */
function unfinishedSummary(error: AppError): string {
  const details = error.details ?? {};
  const { step, tool } = details;
  if (typeof tool !== 'string') return clean(error.message);
  const where = typeof step === 'number' ? `step ${step}: ` : '';
  return clean(`${where}${tool} ${compactJson(details.arguments ?? {}, 120)}`);
}
