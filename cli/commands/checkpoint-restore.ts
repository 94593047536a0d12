import { restoreCheckpointTool } from '../../protocol/tools/checkpoint-tools.js';
import type { Command } from '../command.js';
import { checkpointTarget, TARGET_FLAGS } from '../checkpoint-target.js';

const command: Command = {
  usage: 'az checkpoint restore ID [PATH...] [--workspace DIR | --task ID]',
  summary: 'Put the workspace (or some paths) back at a checkpoint; undoable',
  flags: { ...TARGET_FLAGS },
  args: [1, 1000],
  async run({ connect, out, globals, flags, input }) {
    const client = await connect();
    const [id, ...paths] = input;
    const result = await client.call(restoreCheckpointTool, {
      ...checkpointTarget(flags),
      checkpoint_id: id as string,
      ...(paths.length > 0 ? { paths } : {}),
    });
    if (globals.json) return out.json(result);
    out.print(`restored ${result.workspace} to ${result.restored.short_id}`);
    if (result.undo_checkpoint)
      out.print(
        `undo with: az checkpoint restore ${result.undo_checkpoint.short_id} --workspace ${result.workspace}`,
      );
    for (const backup of result.backups) out.note(`kept a copy of an overwritten file: ${backup}`);
  },
};
export default command;
