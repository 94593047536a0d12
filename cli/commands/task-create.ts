import { createTaskTool } from '../../protocol/tools/task-tools.js';
import type { Command } from '../command.js';

const command: Command = {
  usage: 'az task create PROMPT [--title T] [--workspace DIR] [--priority 0-9] [--model M] [--budget USD]',
  summary: 'Queue a task and print its id',
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
      prompt: input[0] as string,
      title: flags.title as string | undefined,
      workspace: (flags.workspace as string | undefined) ?? process.cwd(),
      priority: flags.priority as number | undefined,
      model: flags.model as string | undefined,
      budget_usd: flags.budget as number | undefined,
      max_attempts: flags.maxAttempts as number | undefined,
      start: flags.start as boolean,
    });
    if (globals.json) out.json({ task });
    else out.print(task.id);
  },
};
export default command;
