import { restoreCheckpointTool } from '../../../protocol/tools/checkpoint-tools.js';
import { implementTool } from '../../mcp/tool-definition.js';
import { restoreCheckpoint as restore } from '../checkpoint-operations.js';
import type { CheckpointRuntime } from '../checkpoint-runtime.js';

export const restoreCheckpoint = (checkpoints: CheckpointRuntime) =>
  implementTool(restoreCheckpointTool, (args, { scope }) => {
    const workspace = checkpoints.workspaceFor(args, scope);
    return checkpoints.withRepo(workspace, async repo => ({
      workspace: repo.workspace,
      ...(await restore(repo, args.checkpoint_id, {
        paths: args.paths,
        taskId: scope?.taskId ?? args.task_id,
      })),
    }));
  });
