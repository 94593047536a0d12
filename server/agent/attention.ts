/** The NEEDS_ATTENTION error: a call that may have taken effect lost its result, and a person has to check. */
import { AppError } from '../../protocol/errors.js';
import type { UnfinishedCall } from './replay.js';

function brief(value: unknown, max = 200): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function needsAttentionError(taskId: string, workspace: string, unfinished: UnfinishedCall): AppError {
  const { entry, intent } = unfinished;
  return new AppError(
    'NEEDS_ATTENTION',
    `step ${entry.step} called ${entry.name} (tool ${intent.tool} of MCP server ${intent.server}) with ${brief(intent.arguments)}, ` +
      'but the process stopped before its result was recorded; the tool is not idempotent, so AZ-OS cannot tell whether it took effect',
    {
      hint:
        `Check whether it did (its effect would be in ${workspace}), then run \`az task resume ${taskId} --assume-done\` if it did, ` +
        `or \`az task resume ${taskId} --rerun\` to run it again (resume_task with unfinished_call).`,
      details: { retryable: false, step: entry.step, tool: entry.name, arguments: intent.arguments },
    },
  );
}
