import { createCheckpointTool } from '../../../protocol/tools/checkpoint-tools.js';
import { implementTool } from '../../mcp/tool-definition.js';
import type { CheckpointRuntime } from '../checkpoint-runtime.js';

export const createCheckpoint = (checkpoints: CheckpointRuntime) =>
  implementTool(createCheckpointTool, (args, { scope }) => {
    const workspace = checkpoints.workspaceFor(args, scope);
    return checkpoints.withRepo(workspace, async repo => ({
      workspace: repo.workspace,
      ...(await repo.checkpoint({
        reason: 'manual',
        message: args.message,
        taskId: scope?.taskId ?? args.task_id,
      })),
    }));
  });
