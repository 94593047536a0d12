import { listCheckpointsTool } from '../../../protocol/tools/checkpoint-tools.js';
import { implementTool } from '../../mcp/tool-definition.js';
import type { CheckpointRuntime } from '../checkpoint-runtime.js';

export const listCheckpoints = (checkpoints: CheckpointRuntime) =>
  implementTool(listCheckpointsTool, (args, { scope }) => {
    const workspace = checkpoints.workspaceFor(args, scope);
    const taskId = args.only_task ? (scope?.taskId ?? args.task_id) : undefined;
    return checkpoints.withRepo(workspace, async repo => ({
      workspace: repo.workspace,
      checkpoints: await repo.list({ taskId, limit: args.limit ?? 50 }),
    }));
  });
