import { retryTaskTool } from '../../protocol/tools/task-tools.js';
import type { Command } from '../command.js';

const command: Command = {
  usage: 'az task retry ID [--json]',
  summary: 'Run a failed task again from the start',
  flags: {},
  args: 1,
  async run({ connect, out, globals, input }) {
    const client = await connect();
    const { task } = await client.call(retryTaskTool, { task_id: input[0] as string });
    if (globals.json) out.json({ task });
    else out.print(`${task.id} ${task.status}`);
  },
};
export default command;
