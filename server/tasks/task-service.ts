/**
 * Task operations with their rules: defaults on create, what cancel and retry mean in each state, and a bounded
 * wait. The store enforces the state machine; this module decides which transitions a user action asks for.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../protocol/errors.js';
import { taskUri } from '../../protocol/resources.js';
import { isSettled, type Task } from '../../protocol/task.js';
import type { Config } from '../config/schema.js';
import type { ChangeFeed } from '../events/change-feed.js';
import type { HomePaths } from '../home.js';
import { toTask } from './task-rows.js';
import type { TaskStore } from './task-store.js';

export interface CreateTaskRequest {
  prompt: string;
  title?: string | undefined;
  workspace?: string | undefined;
  priority?: number | undefined;
  model?: string | undefined;
  budget_usd?: number | undefined;
  max_attempts?: number | undefined;
  start?: boolean | undefined;
}

/** Lets the executor hear about cancellations of tasks it runs (registered by the agent runtime). */
export interface TaskRunnerHooks {
  /** True when this process runs the task and will finalize it after stopping. */
  cancel(taskId: string, reason: string): boolean;
  /** Wake the queue after a task became runnable. */
  wake(): void;
}

export interface TaskServiceDeps {
  store: TaskStore;
  feed: ChangeFeed;
  config: () => Config;
  paths: HomePaths;
  now: () => number;
}

export interface WaitResult {
  task: Task;
  done: boolean;
  waited_ms: number;
}

export function titleFromPrompt(prompt: string): string {
  const firstLine = prompt
    .split('\n')
    .map(line => line.trim())
    .find(line => line.length > 0);

  const clean = (firstLine ?? 'Untitled task').replace(
    /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu,
    ' ',
  );
  return clean.length > 80 ? `${clean.slice(0, 77)}...` : clean;
}

function checkWorkspace(path: string): void {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    throw new AppError('INVALID_INPUT', `workspace ${path} does not exist`, {
      hint: 'Create the directory first, or omit workspace to get a fresh one under AZ_HOME/workspaces.',
    });
  }
  if (!stats.isDirectory()) throw new AppError('INVALID_INPUT', `workspace ${path} is not a directory`);
}

export type TaskService = ReturnType<typeof createTaskService>;

export function createTaskService({ store, feed, config, paths, now }: TaskServiceDeps) {
  let runner: TaskRunnerHooks | undefined;

  const service = {
    setRunner(hooks: TaskRunnerHooks | undefined): void {
      runner = hooks;
    },

    /** Wakes the queue now (its settings changed: unpaused, more concurrency) rather than at its next poll. */
    wake(): void {
      runner?.wake();
    },

    create(request: CreateTaskRequest, createdBy: string): Task {
      const settings = config().tasks;
      const id = randomUUID();
      let workspace = request.workspace;
      if (workspace === undefined) {
        workspace = join(settings.workspace_root ?? paths.workspacesDir, id);
        mkdirSync(workspace, { recursive: true, mode: 0o700 });
      } else {
        checkWorkspace(workspace);
      }
      const task = store.create({
        id,
        title: request.title ?? titleFromPrompt(request.prompt),
        prompt: request.prompt,
        workspace,
        priority: request.priority ?? settings.default_priority,
        model: request.model ?? null,
        budgetMicroUsd: request.budget_usd === undefined ? null : Math.round(request.budget_usd * 1_000_000),
        maxAttempts: request.max_attempts ?? settings.max_attempts,
        start: request.start ?? true,
        createdBy,
      });
      if (task.status === 'PENDING') runner?.wake();
      return task;
    },

    cancel(id: string, reason: string | undefined, by: string): Task {
      const row = store.getRow(id);
      const data = { reason: reason ?? 'cancelled by user', by };
      switch (row.status) {
        case 'CANCELLED':
        case 'FINALIZED':
          return toTask(row);
        case 'INITIALIZED':
        case 'PENDING':
        case 'RETRYING':
          return toTask(
            store.transition(id, ['CANCELLED', 'FINALIZED'], { data, patch: { finished_at: now() } }),
          );
        case 'RUNNING': {
          const cancelled = store.transition(id, 'CANCELLED', { data, expect: ['RUNNING'] });
          const ownedHere = runner?.cancel(id, data.reason) ?? false;
          const ownerGone = cancelled.lease_owner === null || (cancelled.lease_expires_at ?? 0) < now();
          if (!ownedHere && ownerGone) {
            return toTask(
              store.transition(id, 'FINALIZED', { data: { note: 'no live worker held the task' } }),
            );
          }
          return toTask(cancelled);
        }
        default:
          throw new AppError(
            'ILLEGAL_TRANSITION',
            `task ${id} is ${row.status}; only queued or running tasks can be cancelled`,
            {
              details: { task_id: id, status: row.status },
            },
          );
      }
    },

    retry(id: string, by: string): Task {
      const row = store.getRow(id);
      if (row.status !== 'FAILED') {
        throw new AppError(
          'ILLEGAL_TRANSITION',
          `task ${id} is ${row.status}; only FAILED tasks can be retried`,
          {
            hint:
              row.status === 'FINALIZED' || row.status === 'CANCELLED'
                ? 'Create a new task with the same prompt.'
                : undefined,
            details: { task_id: id, status: row.status },
          },
        );
      }
      const task = toTask(
        store.transition(id, 'RETRYING', { data: { by, manual: true }, patch: { not_before: null } }),
      );
      runner?.wake();
      return task;
    },

    /** Waits until the task settles or `timeoutMs` passes; never throws on timeout. */
    async wait(id: string, timeoutMs: number, signal?: AbortSignal): Promise<WaitResult> {
      const started = now();
      const current = (): WaitResult => {
        const task = store.get(id);
        return { task, done: isSettled(task.status), waited_ms: Math.max(0, now() - started) };
      };
      const first = current();
      if (first.done || timeoutMs <= 0) return first;
      const uri = taskUri(id);
      await new Promise<void>(resolve => {
        const finish = (): void => {
          clearTimeout(timer);
          clearInterval(poll);
          unsubscribe();
          signal?.removeEventListener('abort', finish);
          resolve();
        };
        const check = (): void => {
          if (isSettled(store.getRow(id).status)) finish();
        };
        const unsubscribe = feed.subscribe(changed => {
          if (changed === uri) check();
        });
        const timer = setTimeout(finish, timeoutMs);
        // Another process (an in-process `az task run`) may move the task: poll as a fallback.
        const poll = setInterval(check, 1000);
        signal?.addEventListener('abort', finish, { once: true });
      });
      return current();
    },
  };
  return service;
}
