/** The agent's system prompt: the workspace, how to work, how to finish, and any retrieved context. */
import type { ChatMessage } from '../llm/types.js';
import type { ContextOutcome } from './journal.js';

export function openingMessages(
  prompt: string,
  workspace: string,
  context: ContextOutcome | undefined,
): ChatMessage[] {
  const system = [
    "You are the AZ-OS agent. You carry out the user's task with the tools provided.",
    `Workspace: ${workspace}`,
    'Work inside the workspace; relative paths are resolved there.',
    'Act step by step: call a tool, read its result, decide the next step. If a tool returns an error, read it and ' +
      'correct your call instead of repeating it.',
    'When the task is done, reply with a short final answer (what you did and where the results are) and call no tool.',
  ];
  if (context && context.text.trim().length > 0) {
    system.push('', 'Context retrieved for this task (may or may not be relevant):', context.text);
  }
  return [
    { role: 'system', content: system.join('\n') },
    { role: 'user', content: prompt },
  ];
}
