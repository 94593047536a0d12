import { runTaskTool } from '../../protocol/tools/agent-tools.js';
import { createTaskTool } from '../../protocol/tools/task-tools.js';
import type { Command } from '../command.js';
import { TASK_FLAGS, taskRequest } from '../task-request.js';
import { followTask } from '../task-follow.js';

const command: Command = {
  usage:
    'az task run PROMPT [--workspace DIR] [--model M] [--budget USD] [--priority 0-9] [--detach] [--json]',
  summary: 'Run a task and stream its steps, tool calls and cost (Ctrl-C cancels)',
  flags: {
    ...TASK_FLAGS,
    detach: { type: 'boolean', description: 'Queue it for the server, print the id and return' },
  },
  args: 1,
  details:
    'Without a running server the task runs in this process (az serve runs tasks in the background).\n' +
    'Exit code 0 when the task COMPLETED; otherwise the code of its error (8 budget, 9 step limit, 10 failed\n' +
    'or needs attention, 6 LLM unavailable) or 130 after Ctrl-C.',
  async run({ connect, out, globals, input, flags, signal }) {
    const client = await connect();
    const request = taskRequest(input[0] as string, flags);
    if (flags.detach === true) {
      const { task } = await client.call(createTaskTool, request);
      if (globals.json) out.json({ task });
      else {
        out.print(task.id);
        out.note(`queued; follow it with: az task logs ${task.id} --follow`);
      }
      return;
    }
    const { task } = await client.call(runTaskTool, { ...request, timeout_seconds: 0 });
    out.note(`task ${task.id}`);
    return followTask(client, task.id, { out, json: globals.json, signal });
  },
};
export default command;
