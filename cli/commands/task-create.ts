import { createTaskTool } from '../../protocol/tools/task-tools.js';
import type { Command } from '../command.js';
import { TASK_FLAGS, taskRequest } from '../task-request.js';

const command: Command = {
  usage: 'az task create PROMPT [--title T] [--workspace DIR] [--priority 0-9] [--model M] [--budget USD]',
  summary: 'Queue a task and print its id',
  flags: {
    ...TASK_FLAGS,
    start: {
      type: 'boolean',
      default: true,
      description: 'Queue at once (--no-start leaves it INITIALIZED)',
    },
  },
  args: 1,
  async run({ connect, out, globals, input, flags }) {
    const client = await connect();
    const { task } = await client.call(createTaskTool, {
      ...taskRequest(input[0] as string, flags),
      start: flags.start as boolean,
    });
    if (globals.json) out.json({ task });
    else out.print(task.id);
  },
};
export default command;
