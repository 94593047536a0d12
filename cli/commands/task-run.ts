import { runTaskTool } from '../../protocol/tools/agent-tools.js';
import { createTaskTool } from '../../protocol/tools/task-tools.js';
import type { Command } from '../command.js';
import { followTask } from '../task-follow.js';

const command: Command = {
  usage:
    'az task run PROMPT [--workspace DIR] [--model M] [--budget USD] [--priority 0-9] [--detach] [--json]',
  summary: 'Run a task and stream its steps, tool calls and cost (Ctrl-C cancels)',
  flags: {
    title: { type: 'string', description: 'One-line title (default: the first line of the prompt)' },
    workspace: {
      type: 'string',
      description: 'Directory the agent works in (default: the current directory)',
    },
    priority: { type: 'number', description: '0 (lowest) to 9 (highest), default 5' },
    model: { type: 'string', description: 'Route (default, cheap, strong) or model name' },
    budget: { type: 'number', description: 'Spending cap for this task in US dollars' },
    maxAttempts: { type: 'number', description: 'Attempts before the task stays FAILED' },
    detach: { type: 'boolean', description: 'Queue it for the server, print the id and return' },
  },
  args: 1,
  details:
    'Without a running server the task runs in this process (az serve runs tasks in the background).\n' +
    'Exit code 0 when the task COMPLETED; otherwise the code of its error (8 budget, 9 step limit, 10 failed\n' +
    'or needs attention, 6 LLM unavailable) or 130 after Ctrl-C.',
  async run({ connect, out, globals, input, flags, signal }) {
    const client = await connect();
    const request = {
      prompt: input[0] as string,
      title: flags.title as string | undefined,
      workspace: (flags.workspace as string | undefined) ?? process.cwd(),
      priority: flags.priority as number | undefined,
      model: flags.model as string | undefined,
      budget_usd: flags.budget as number | undefined,
      max_attempts: flags.maxAttempts as number | undefined,
    };
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
