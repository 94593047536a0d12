/**
 * Checkpoints of one process: a shadow repository per workspace, opened on demand, with every operation on a
 * workspace run one at a time (a periodic checkpoint never races a step's checkpoint or a restore).
 */
import type * as SimpleGitModule from 'simple-git';
import { AppError } from '../../protocol/errors.js';
import type { Core } from '../core.js';
import type { TaskScope } from '../mcp/tool-definition.js';
import { checkWorkspace } from './path-guard.js';
import { openShadowRepo, type ShadowRepo } from './shadow-repo.js';

export interface CheckpointRuntime {
  /** Runs `fn` on the workspace's shadow repository after any earlier operation on it finished. */
  withRepo<T>(workspace: string, fn: (repo: ShadowRepo) => Promise<T>): Promise<T>;
  /** The workspace a tool call means: the caller's task, a task id, or a directory. */
  workspaceFor(
    args: { task_id?: string | undefined; workspace?: string | undefined },
    scope: TaskScope | undefined,
  ): string;
  enabled(): boolean;
}

/** simple-git, loaded with the first checkpoint operation (a process that takes none does not parse it). */
let simpleGitLoading: Promise<typeof SimpleGitModule> | undefined;
const loadSimpleGit = (): Promise<typeof SimpleGitModule> => (simpleGitLoading ??= import('simple-git'));

/** Git's own refusals (a path behind a symbolic link, a locked index) become errors the caller can read. */
function asAppError(error: unknown, GitError: typeof SimpleGitModule.GitError): unknown {
  if (!(error instanceof GitError)) return error;
  const line = error.message.split('\n').find(text => text.trim().length > 0) ?? 'git failed';
  return new AppError('CONFLICT', `git refused: ${line.replace(/^fatal: /, '').slice(0, 300)}`, {
    cause: error,
    hint: 'Check the workspace (e.g. a folder replaced by a symbolic link, or another git process) and retry.',
  });
}

export function createCheckpointRuntime(core: Core): CheckpointRuntime {
  const queues = new Map<string, Promise<unknown>>();
  const settings = () => core.config().config.checkpoints;

  return {
    enabled: () => settings().enabled,
    async withRepo(workspace, fn) {
      if (!settings().enabled) {
        throw new AppError('UNAVAILABLE', 'checkpoints are turned off (checkpoints.enabled is false)', {
          hint: 'az config set checkpoints.enabled true',
        });
      }
      const real = checkWorkspace(workspace, core.paths.home, core.paths.workspacesDir);
      const { simpleGit, GitError } = await loadSimpleGit();
      const repo = openShadowRepo({
        checkpointsDir: core.paths.checkpointsDir,
        workspace: real,
        maxFileBytes: settings().max_file_bytes,
        simpleGit,
      });
      const previous = queues.get(real) ?? Promise.resolve();
      const next = previous
        .catch(() => undefined)
        .then(() => fn(repo))
        .catch((error: unknown) => {
          throw asAppError(error, GitError);
        });
      queues.set(real, next);
      try {
        return await next;
      } finally {
        if (queues.get(real) === next) queues.delete(real);
      }
    },
    workspaceFor(args, scope) {
      // Security: the agent works on its own task's workspace only; outside clients name one.
      if (scope) {
        if (args.task_id !== undefined && args.task_id !== scope.taskId) {
          throw new AppError('PERMISSION_DENIED', 'the agent may only use checkpoints of its own task');
        }
        if (args.workspace !== undefined && args.workspace !== scope.workspace) {
          throw new AppError(
            'PERMISSION_DENIED',
            `the agent may only use checkpoints of its workspace ${scope.workspace}`,
          );
        }
        return scope.workspace;
      }
      if (args.task_id !== undefined) {
        if (args.workspace !== undefined)
          throw new AppError('INVALID_INPUT', 'give task_id or workspace, not both');
        return core.taskStore.get(args.task_id).workspace;
      }
      if (args.workspace !== undefined) return args.workspace;
      throw new AppError('INVALID_INPUT', 'say which workspace: task_id or workspace');
    },
  };
}
