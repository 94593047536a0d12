import { diffCheckpointTool } from '../../../protocol/tools/checkpoint-tools.js';
import { implementTool } from '../../mcp/tool-definition.js';
import { diffCheckpoint as diff } from '../checkpoint-operations.js';
import type { CheckpointRuntime } from '../checkpoint-runtime.js';

export const diffCheckpoint = (checkpoints: CheckpointRuntime) =>
  implementTool(diffCheckpointTool, (args, { scope }) => {
    const workspace = checkpoints.workspaceFor(args, scope);
    return checkpoints.withRepo(workspace, async repo => ({
      workspace: repo.workspace,
      ...(await diff(repo, args.checkpoint_id, args.to, args.max_patch_bytes ?? 20_000)),
    }));
  });
