/**
 * Following a task in the terminal: prints each new event (steps, tool calls, cost) as it is recorded, then
 * the result or the error, and returns the exit code. Ctrl-C cancels the task and waits (briefly) until it
 * has stopped.
 */
import type { ToolCaller } from '../protocol/client.js';
import { isSettled, type Task, type TaskEvent } from '../protocol/task.js';
import { cancelTaskTool, getTaskLogTool, getTaskTool } from '../protocol/tools/task-tools.js';
import type { ErrorCode } from '../protocol/errors.js';
import type { Output } from './command.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { formatCost } from './cost-format.js';
import { clean } from './output.js';

const POLL_MS = 300;
const CANCEL_WAIT_MS = 5_000;

function eventText(event: TaskEvent): string | undefined {
  if (event.type === 'status') {
    const data = event.data ?? {};
    const status = event.to_status?.toLowerCase() ?? event.type;
    const error = data.error as { code?: string; message?: string; hint?: string } | undefined;
    if (event.to_status === 'FAILED' && error?.message) {
      // A failure that is retried at once gets its hint only when it finally fails.
      const hint = error.hint && data.auto !== true ? `\n    hint: ${error.hint}` : '';
      return `failed: ${error.code}: ${error.message}${hint}`;
    }
    if (event.to_status === 'RETRYING' && typeof data.retry_in_ms === 'number') {
      return `retrying in ${(data.retry_in_ms / 1000).toFixed(1)} s (from the last recorded step)`;
    }
    return `${status}${typeof data.reason === 'string' ? ` (${data.reason})` : ''}`;
  }
  return typeof event.data?.summary === 'string' ? event.data.summary : undefined;
}

function costText(task: Task): string {
  const known = formatCost(task.cost_micro_usd);
  return task.unknown_cost_calls > 0
    ? `${known} + ${task.unknown_cost_calls} call(s) of unknown cost`
    : known;
}

export function taskExitCode(task: Task, interrupted: boolean): number {
  if (task.status === 'COMPLETED') return EXIT.ok;
  if (interrupted) return EXIT.interrupted;
  if (task.status === 'FAILED' && task.error) return exitCodeFor(task.error.code as ErrorCode);
  return EXIT.taskFailed;
}

export async function followTask(
  client: ToolCaller,
  taskId: string,
  options: { out: Output; json: boolean; signal: AbortSignal; afterSeq?: number },
): Promise<number> {
  const { out } = options;
  let after = options.afterSeq ?? 0;
  let cancelledAt: number | undefined;
  for (;;) {
    const page = await client.call(getTaskLogTool, { task_id: taskId, after_seq: after, limit: 500 });
    for (const event of page.events) {
      after = event.seq;
      const text = eventText(event);
      if (text !== undefined && !options.json) out.note(`  ${clean(text, { multiline: true })}`);
    }
    if (page.next_after_seq !== null) continue;
    const { task } = await client.call(getTaskTool, { task_id: taskId });
    const stopped = isSettled(task.status) && !(cancelledAt !== undefined && task.status === 'CANCELLED');
    if (stopped || (cancelledAt !== undefined && Date.now() - cancelledAt > CANCEL_WAIT_MS)) {
      return finish(task, options, cancelledAt !== undefined);
    }
    if (options.signal.aborted && cancelledAt === undefined) {
      cancelledAt = Date.now();
      out.note('cancelling…');
      await client.call(cancelTaskTool, { task_id: taskId, reason: 'Ctrl-C' }).catch(() => undefined);
      continue;
    }
    await new Promise(resolve => setTimeout(resolve, POLL_MS));
  }
}

function finish(task: Task, options: { out: Output; json: boolean }, interrupted: boolean): number {
  const { out } = options;
  if (options.json) {
    out.json({ task });
    return taskExitCode(task, interrupted);
  }
  out.note(`${task.status} after ${task.steps} step${task.steps === 1 ? '' : 's'}, cost ${costText(task)}`);
  if (task.status === 'COMPLETED') {
    out.print(clean(task.result ?? '', { multiline: true }));
  } else if (task.error) {
    out.note(`error ${task.error.code}: ${clean(task.error.message)}`);
    if (task.error.hint) out.note(`  hint: ${clean(task.error.hint)}`);
  }
  return taskExitCode(task, interrupted);
}
