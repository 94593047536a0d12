import { cancelTaskTool } from '../../protocol/tools/task-tools.js';
import type { Command } from '../command.js';

const command: Command = {
  usage: 'az task cancel ID [--reason TEXT] [--json]',
  summary: 'Cancel a queued or running task',
  flags: { reason: { type: 'string', description: 'Why (kept in the task log)' } },
  args: 1,
  async run({ connect, out, globals, input, flags }) {
    const client = await connect();
    const { task } = await client.call(cancelTaskTool, {
      task_id: input[0] as string,
      reason: flags.reason as string | undefined,
    });
    if (globals.json) out.json({ task });
    else out.print(`${task.id} ${task.status}`);
  },
};
export default command;
