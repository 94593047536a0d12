import { diffCheckpointTool } from '../../protocol/tools/checkpoint-tools.js';
import type { Command } from '../command.js';
import { clean } from '../output.js';
import { checkpointTarget, TARGET_FLAGS } from '../checkpoint-target.js';

const command: Command = {
  usage: 'az checkpoint diff ID [TO_ID] [--workspace DIR | --task ID] [--stat] [--json]',
  summary: 'Show what changed since a checkpoint (or between two)',
  flags: { ...TARGET_FLAGS, stat: { type: 'boolean', description: 'Only the changed files' } },
  args: [1, 2],
  async run({ connect, out, globals, flags, input }) {
    const client = await connect();
    const result = await client.call(diffCheckpointTool, {
      ...checkpointTarget(flags),
      checkpoint_id: input[0] as string,
      to: input[1],
      max_patch_bytes: flags.stat ? 0 : 200_000,
    });
    if (globals.json) return out.json(result);
    for (const file of result.files) {
      out.print(`${file.status}  ${clean(file.path)}  +${file.additions ?? '-'} -${file.deletions ?? '-'}`);
    }
    if (result.patch) out.print(`\n${clean(result.patch, { multiline: true })}`);
    if (result.truncated) out.note('(patch cut; use --json or a narrower range)');
  },
};
export default command;
