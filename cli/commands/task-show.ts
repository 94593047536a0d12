import { getTaskTool } from '../../protocol/tools/task-tools.js';
import type { Command } from '../command.js';
import { taskDetails } from '../task-format.js';

const command: Command = {
  usage: 'az task show ID [--json]',
  summary: 'Show one task',
  flags: {},
  args: 1,
  async run({ connect, out, globals, input }) {
    const client = await connect();
    const { task } = await client.call(getTaskTool, { task_id: input[0] as string });
    if (globals.json) out.json({ task });
    else out.print(taskDetails(task));
  },
};
export default command;
