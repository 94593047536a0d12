/**
 * The open task's checkpoints, through list_checkpoints (git snapshots of its workspace taken while it ran).
 * Servers without the tool are told apart from tasks without checkpoints by tools/list, in the store.
 */
import type { DashboardClient } from './connection.js';
import { listCheckpointsTool, type CheckpointInfo } from '../../protocol/tools/checkpoint-tools.js';

/** Checkpoints shown in the task view (the newest first). */
export const CHECKPOINTS_SHOWN = 20;

export async function readCheckpoints(
  client: DashboardClient,
  taskId: string,
): Promise<readonly CheckpointInfo[]> {
  const result = await client.call(listCheckpointsTool, {
    task_id: taskId,
    only_task: true,
    limit: CHECKPOINTS_SHOWN,
  });
  return result.checkpoints;
}
