/**
 * One tool call of the agent. The intent is journaled before the call starts; for a tool that is not safe to
 * repeat, the agent waits until that intent is on disk (the durability barrier) before the side effect can
 * happen. Errors — an unknown tool, arguments that are not JSON, a failing tool — go back to the model as the
 * tool's result so it can correct itself. The same call made a third time in a row is not run; a fourth stops
 * the task.
 */
import { AppError } from '../../protocol/errors.js';
import type { ToolCallRequest } from '../llm/types.js';
import type { ToolIntent, ToolOutcome } from './journal.js';
import { REPEAT_STOP_AT, REPEAT_WARN_AT } from './repeat-tracker.js';
import { cancelledError, type RunContext } from './run-context.js';

export interface ToolStepResult {
  /** A tool that is not read-only ran (files may have changed). */
  wrote: boolean;
}

function brief(value: unknown, max = 100): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function parseArguments(text: string): { args: Record<string, unknown> } | { error: string } {
  if (text.trim() === '') return { args: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `the arguments are not valid JSON (${(error as Error).message})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { error: 'the arguments must be a JSON object' };
  }
  return { args: value as Record<string, unknown> };
}

/** Records a call that was answered without running anything (refused or skipped). */
async function answerWithout(
  run: RunContext,
  call: ToolCallRequest,
  intent: ToolIntent,
  text: string,
  state: 'done' | 'skipped',
): Promise<void> {
  const outcome: ToolOutcome = { text, is_error: true };
  await run.record(() => {
    run.journal.begin({
      taskId: run.task.id,
      generation: run.generation,
      attempt: run.attempt,
      step: run.step,
      kind: 'tool',
      callId: call.id,
      name: call.name,
      intent,
      outcome,
      state,
    });
    run.event('tool.result', {
      summary: `step ${run.step}: ${call.name} not run: ${brief(text, 160)}`,
      step: run.step,
      tool: call.name,
      ok: false,
    });
  });
  run.repeats.record(call.name, intent.arguments);
  run.messages.push({ role: 'tool', tool_call_id: call.id, content: text });
}

export async function toolStep(run: RunContext, call: ToolCallRequest): Promise<ToolStepResult> {
  const tool = run.hub.find(call.name);
  const parsed = parseArguments(call.arguments);
  const rawIntent: ToolIntent = {
    server: tool?.server ?? '',
    tool: tool?.tool ?? call.name,
    arguments: 'args' in parsed ? parsed.args : call.arguments,
    safe_to_repeat: true,
    read_only: true,
  };
  if (!tool) {
    const names = run.hub.tools.map(known => known.exposedName).join(', ');
    await answerWithout(
      run,
      call,
      rawIntent,
      `Error: there is no tool named ${call.name}. Available tools: ${names || '(none)'}.`,
      'done',
    );
    return { wrote: false };
  }
  if ('error' in parsed) {
    await answerWithout(
      run,
      call,
      rawIntent,
      `Error: ${parsed.error}. Call ${call.name} again with a JSON object that matches its parameters.`,
      'done',
    );
    return { wrote: false };
  }
  const times = run.repeats.peek(call.name, parsed.args);
  if (times >= REPEAT_STOP_AT) {
    throw new AppError(
      'STEP_LIMIT',
      `the model kept calling ${call.name} with the same arguments (${times} times in a row)`,
      {
        hint: 'Rephrase the task or give the model more context, then retry it; the log shows the repeated call.',
        details: { retryable: false, reason: 'repeated_call', tool: call.name },
      },
    );
  }
  if (times === REPEAT_WARN_AT) {
    await answerWithout(
      run,
      call,
      rawIntent,
      `Not run: you already called ${call.name} with exactly these arguments ${times - 1} times in a row and got the ` +
        'same kind of result. Do something different, or give your final answer.',
      'skipped',
    );
    return { wrote: false };
  }

  const intent: ToolIntent = { ...rawIntent, safe_to_repeat: tool.safeToRepeat, read_only: tool.readOnly };
  const seq = await run.record(() => {
    const entry = run.journal.begin({
      taskId: run.task.id,
      generation: run.generation,
      attempt: run.attempt,
      step: run.step,
      kind: 'tool',
      callId: call.id,
      name: call.name,
      intent,
    });
    run.event('tool.started', {
      summary: `step ${run.step}: ${call.name} ${brief(parsed.args)}`,
      step: run.step,
      tool: call.name,
    });
    return entry;
  });
  // Durability barrier: a call that must not run twice is on disk before it can take effect.
  if (!tool.safeToRepeat) await run.writes.sync();

  let outcome;
  try {
    outcome = await run.hub.call(tool.server, tool.tool, parsed.args, {
      signal: run.signals.tools,
      timeoutMs: run.config.tasks.tool_timeout_seconds * 1000,
    });
  } catch (error) {
    if (run.signals.tools.aborted) {
      run.writes.write(() => run.journal.finish(seq, 'interrupted', undefined));
      throw cancelledError();
    }
    throw error;
  }
  const result: ToolOutcome = { text: outcome.text, is_error: outcome.isError };
  const recordResult = (): void => {
    run.journal.finish(seq, 'done', result);
    run.event('tool.result', {
      summary: `step ${run.step}: ${call.name} ${outcome.isError ? 'failed' : 'ok'}: ${brief(outcome.text)}`,
      step: run.step,
      tool: call.name,
      ok: !outcome.isError,
    });
  };
  // The result of a call that may not run twice is on record before anything else happens; a safe call's
  // result may ride with the next record (lost in a crash, the call simply runs again).
  if (tool.safeToRepeat) run.recordLater(recordResult);
  else await run.record(recordResult);
  run.repeats.record(call.name, parsed.args);
  run.messages.push({ role: 'tool', tool_call_id: call.id, content: outcome.text });
  return { wrote: !tool.readOnly };
}
