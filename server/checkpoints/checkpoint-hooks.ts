/**
 * Checkpoints' part in running tasks: a checkpoint when an attempt starts, after every step that may have
 * changed files (the seed's milestone), and every checkpoints.interval_minutes while it runs. Before a resumed
 * attempt continues from its last journaled step, the workspace is put back at the checkpoint taken after
 * that step (start and step checkpoints only: a periodic one may hold half of a later step).
 */
import type { Task } from '../../protocol/task.js';
import type { Core } from '../core.js';
import type { TaskLifecycleHooks } from '../tasks/task-hooks.js';
import { restoreCheckpoint } from './checkpoint-operations.js';
import type { CheckpointRuntime } from './checkpoint-runtime.js';

const report = (what: string, task: Task, error: unknown): void =>
  console.error(
    `checkpoints: ${what} for task ${task.id} failed: ${error instanceof Error ? error.message : error}`,
  );

export function createCheckpointHooks(core: Core, checkpoints: CheckpointRuntime): TaskLifecycleHooks {
  const lastStep = new Map<string, number>();
  const take = async (task: Task, reason: string, step: number): Promise<void> => {
    if (!checkpoints.enabled()) return;
    try {
      await checkpoints.withRepo(task.workspace, repo =>
        repo.checkpoint({
          reason,
          message: task.title,
          taskId: task.id,
          step,
          attempt: task.attempts,
          force: reason === 'start',
        }),
      );
    } catch (error) {
      report(`${reason} checkpoint`, task, error);
    }
  };
  const minutes = core.config().config.checkpoints.interval_minutes;
  return {
    name: 'checkpoints',
    async beforeFirstStep(task) {
      lastStep.set(task.id, 0);
      await take(task, 'start', 0);
      return undefined;
    },
    async afterStep(task, step) {
      lastStep.set(task.id, step.index);
      if (step.mayHaveChangedFiles) await take(task, 'step', step.index);
    },
    ...(minutes > 0
      ? {
          periodic: {
            intervalMs: minutes * 60_000,
            run: (task: Task) => take(task, 'periodic', lastStep.get(task.id) ?? task.steps),
          },
        }
      : {}),
    async beforeResume(task, step) {
      lastStep.set(task.id, step);
      if (!checkpoints.enabled()) return;
      try {
        await checkpoints.withRepo(task.workspace, async repo => {
          const match = (await repo.list({ taskId: task.id, limit: 10_000 })).find(
            item =>
              (item.reason === 'step' || item.reason === 'start') &&
              item.attempt === task.attempts &&
              item.step !== null &&
              item.step <= step,
          );
          if (!match) return;
          const current = await repo.head();
          const unchanged =
            (await repo.checkpoint({ reason: 'before-resume', taskId: task.id, step })).created === false;
          if (unchanged && current?.id === match.id) return;
          await restoreCheckpoint(repo, match.id, { taskId: task.id, step });
        });
      } catch (error) {
        report('resume restore', task, error);
      }
    },
    async onSettled(task) {
      lastStep.delete(task.id);
    },
    async onCompleted(task) {
      lastStep.delete(task.id);
    },
  };
}
