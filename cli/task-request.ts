/**
 * The flags that describe a new task, shared by `az task create` and `az task run`, and the create_task /
 * run_task arguments they make.
 */
import type { FlagSpec } from './command.js';

export const TASK_FLAGS: Record<string, FlagSpec> = {
  title: { type: 'string', description: 'One-line title (default: the first line of the prompt)' },
  workspace: {
    type: 'string',
    description: 'Directory the agent works in (default: the current directory)',
  },
  priority: { type: 'number', description: '0 (lowest) to 9 (highest), default 5' },
  model: { type: 'string', description: 'Route (default, cheap, strong) or model name' },
  budget: { type: 'number', description: 'Spending cap for this task in US dollars' },
  maxAttempts: { type: 'number', description: 'Attempts before the task stays FAILED' },
};

export function taskRequest(prompt: string, flags: Record<string, unknown>) {
  return {
    prompt,
    title: flags.title as string | undefined,
    workspace: (flags.workspace as string | undefined) ?? process.cwd(),
    priority: flags.priority as number | undefined,
    model: flags.model as string | undefined,
    budget_usd: flags.budget as number | undefined,
    max_attempts: flags.maxAttempts as number | undefined,
  };
}
