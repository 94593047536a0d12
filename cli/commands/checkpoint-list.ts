import { listCheckpointsTool } from '../../protocol/tools/checkpoint-tools.js';
import type { Command } from '../command.js';
import { formatAge, table } from '../output.js';
import { checkpointTarget, TARGET_FLAGS } from '../checkpoint-target.js';

const command: Command = {
  usage: 'az checkpoint list [--workspace DIR | --task ID] [--limit N] [--json]',
  summary: 'List checkpoints of a workspace, newest first',
  flags: {
    ...TARGET_FLAGS,
    limit: { type: 'number', description: 'How many (default 50)' },
  },
  args: 0,
  async run({ connect, out, globals, flags }) {
    const client = await connect();
    const result = await client.call(listCheckpointsTool, {
      ...checkpointTarget(flags),
      limit: flags.limit as number | undefined,
    });
    if (globals.json) return out.json(result);
    if (result.checkpoints.length === 0) return out.note(`No checkpoints of ${result.workspace} yet.`);
    out.print(
      table(
        result.checkpoints,
        [
          { header: 'ID', value: row => row.short_id },
          { header: 'AGE', value: row => formatAge(row.created_at), align: 'right' },
          { header: 'REASON', value: row => row.reason },
          { header: 'STEP', value: row => (row.step === null ? '-' : String(row.step)), align: 'right' },
          { header: 'TASK', value: row => row.task_id?.slice(0, 8) ?? '-' },
          { header: 'MESSAGE', value: row => row.message, flexible: true },
        ],
        out.width,
      ),
    );
  },
};
export default command;
