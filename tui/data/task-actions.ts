/**
 * What the dashboard can do to tasks: cancel, retry, resume and create, each one MCP tool call. Results and
 * failures become a one-line notice; the task list follows through the live updates.
 */
import type { AzClient } from '../../protocol/client.js';
import { isAppError } from '../../protocol/errors.js';
import { clean } from '../../protocol/terminal-text.js';
import { cancelTaskTool, createTaskTool, retryTaskTool } from '../../protocol/tools/task-tools.js';
import { callByName } from './optional-tools.js';

export interface TaskActions {
  cancelTask(taskId: string): Promise<boolean>;
  retryTask(taskId: string): Promise<boolean>;
  resumeTask(taskId: string): Promise<boolean>;
  /** Returns the new task's id, or undefined when the server refused. */
  createTask(prompt: string): Promise<string | undefined>;
}

export interface TaskActionDeps {
  client: () => AzClient;
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

  const attempt = async (run: () => Promise<string>, what: string): Promise<boolean> => {
    try {
      deps.notify('info', await run());
      deps.afterChange();
      return true;
    } catch (error) {
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
    resumeTask: taskId =>
      attempt(async () => {
        const result = await callByName(deps.client(), 'resume_task', { task_id: taskId });
        const status = (result.task as { status?: unknown } | undefined)?.status;
        return `${name(taskId)} resumed${typeof status === 'string' ? `: ${status}` : ''}`;
      }, 'resume'),
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
