/**
 * The ReAct loop: finish the tool calls the last reply asked for (act, observe), ask the model again
 * (reason), until it answers without calling a tool. Bounded by `tasks.max_steps` per run; cancellation is
 * checked before every call, a shutdown before every model call.
 */
import { AppError } from '../../protocol/errors.js';
import type { ToolCallRequest } from '../llm/types.js';
import { llmStep } from './llm-step.js';
import { cancelledError, type RunContext } from './run-context.js';
import { toolStep } from './tool-step.js';

async function afterStep(run: RunContext, calls: readonly ToolCallRequest[], wrote: boolean): Promise<void> {
  for (const hooks of run.core.taskHooks) {
    if (!hooks.afterStep) continue;
    try {
      await hooks.afterStep(run.task, {
        index: run.step,
        toolCalls: calls.map(call => call.name),
        mayHaveChangedFiles: wrote,
      });
    } catch (error) {
      console.error(`task hook ${hooks.name}.afterStep failed:`, error);
    }
  }
}

export async function reactLoop(run: RunContext, pending: readonly ToolCallRequest[]): Promise<string> {
  let calls = pending;
  for (;;) {
    if (calls.length > 0) {
      let wrote = false;
      // A shutdown (only the model signal aborted) lets the step's tool calls finish, within the grace period,
      // so the run stops at a step boundary where a checkpoint matches the journal; a cancel stops at once.
      for (const call of calls) {
        if (run.signals.tools.aborted) throw cancelledError();
        wrote = (await toolStep(run, call)).wrote || wrote;
      }
      await afterStep(run, calls, wrote);
    }
    if (run.signals.llm.aborted) throw cancelledError();
    if (run.stepsThisRun >= run.config.tasks.max_steps) {
      throw new AppError('STEP_LIMIT', `the agent took ${run.stepsThisRun} steps without a final answer`, {
        hint: `Raise tasks.max_steps (now ${run.config.tasks.max_steps}), or continue with \`az task resume ${run.task.id}\` (another ${run.config.tasks.max_steps} steps).`,
        details: { retryable: false, steps: run.stepsThisRun },
      });
    }
    const reply = await llmStep(run);
    run.messages.push({
      role: 'assistant',
      content: reply.content,
      ...(reply.toolCalls.length > 0 ? { tool_calls: reply.toolCalls } : {}),
    });
    if (reply.toolCalls.length === 0) {
      await afterStep(run, [], false);
      return reply.content ?? '';
    }
    calls = reply.toolCalls;
  }
}
