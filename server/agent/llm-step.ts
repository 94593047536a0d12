/**
 * One model call of the agent: the budget reservation and the journal intent in one transaction, the call
 * through the gateway, then the reply, its cost and the task event in another. A call refused by a budget
 * leaves no trace but the error; a failed call releases its reservation; a cancelled one is recorded with an
 * unknown cost (the provider may have billed it).
 */
import { AppError } from '../../protocol/errors.js';
import { formatMicroUsd } from '../cost/format.js';
import { costOfBilled, estimateMicroUsd } from '../cost/metering.js';
import { billedOf } from '../llm/gateway.js';
import type { GatewayEvent, LlmReply } from '../llm/types.js';
import type { LlmIntent, LlmOutcome } from './journal.js';
import { cancelledError, type RunContext } from './run-context.js';
import { sleep } from '../llm/backoff.js';

const BUDGET_WAIT_MS = 50;

function usageText(outcome: LlmOutcome): string {
  const usage = outcome.usage;
  const tokens = usage
    ? `${usage.input} in${usage.cachedInput > 0 ? ` (${usage.cachedInput} cached)` : ''} / ${usage.output} out`
    : 'no usage reported';
  const cost = outcome.cost_micro_usd === null ? 'cost unknown' : formatMicroUsd(outcome.cost_micro_usd);
  return `${tokens}, ${cost}`;
}

export async function llmStep(run: RunContext): Promise<LlmReply> {
  const step = run.step + 1;
  const chain = run.gateway.resolveChain(run.task.model);
  const request = { messages: run.messages, tools: run.hub.specs, route: run.task.model };
  let estimate = 0;
  const estimateOnce = (): number =>
    (estimate ||= estimateMicroUsd(request, chain.models, run.prices, run.config));
  const intent: LlmIntent = { route: chain.route, models: chain.models, message_count: run.messages.length };
  // The reservation and the intent are written together: no intent without its reservation, nor the reverse.
  let opened: { seq: number; callId: number } | undefined;
  let waiting = false;
  while (!opened) {
    const attempt = await run.record(() => {
      const reserved = run.ledger.tryReserve({
        taskId: run.task.id,
        purpose: 'step',
        route: chain.route,
        estimateMicroUsd: estimateOnce,
        owner: run.owner,
      });
      if ('waitFor' in reserved) return reserved;
      const entrySeq = run.journal.begin({
        taskId: run.task.id,
        generation: run.generation,
        attempt: run.attempt,
        step,
        kind: 'llm',
        name: chain.route,
        intent: { ...intent, estimate_micro_usd: estimate },
      });
      run.ledger.linkJournal(reserved.callId, entrySeq);
      run.event('llm.started', {
        summary: `step ${step}: asking ${chain.models[0] ?? chain.route}`,
        step,
        route: chain.route,
      });
      return { seq: entrySeq, callId: reserved.callId };
    });
    if ('seq' in attempt) {
      opened = attempt;
      break;
    }
    if (!waiting) {
      const scope = attempt.waitFor.scope;
      await run.record(() =>
        run.event('llm.waiting', {
          summary: `step ${step}: waiting for calls in flight before spending the rest of the ${scope} budget`,
          step,
        }),
      );
      waiting = true;
    }
    await sleep(BUDGET_WAIT_MS, run.signals.llm).catch(() => {
      throw cancelledError();
    });
  }
  const { seq, callId } = opened;
  // When a budget applies, money is spent only after the reservation and every earlier settlement are on disk,
  // so a power loss cannot make the ledger forget spending (group commit otherwise syncs within 100 ms).
  if (estimate > 0) await run.writes.sync();

  const onEvent = (event: GatewayEvent): void => {
    const summary =
      event.type === 'retry'
        ? `step ${step}: ${event.model} failed (${event.reason}); retry ${event.attempt} in ${(event.delayMs / 1000).toFixed(1)} s`
        : `step ${step}: ${event.from} failed (${event.reason}); falling back to ${event.to}`;
    // When the lease is gone the call is about to be aborted anyway.
    run.record(() => run.event(`llm.${event.type}`, { summary, step, ...event })).catch(() => undefined);
  };

  let reply: LlmReply;
  try {
    reply = await run.gateway.complete(request, { signal: run.signals.llm, onEvent });
  } catch (error) {
    const cost = costOfBilled(billedOf(error), run.prices);
    const cancelled = error instanceof AppError && error.code === 'CANCELLED';
    // Written without the lease check: the call's own records must be closed even when the task was cancelled.
    run.writes.write(() => {
      run.journal.finish(seq, cancelled ? 'interrupted' : 'failed', {
        error: error instanceof AppError ? error.toPayload() : { code: 'INTERNAL', message: String(error) },
      });
      if (cancelled) run.ledger.interrupt({ callId }, 'cancelled during the call');
      else run.ledger.settle(callId, { model: cost.model, usage: cost.usage, cost, attempts: 0 }, 'failed');
    });
    throw error;
  }

  const cost = costOfBilled(reply.billed, run.prices);
  const outcome: LlmOutcome = {
    content: reply.content,
    tool_calls: reply.toolCalls,
    finish_reason: reply.finishReason,
    model: reply.model,
    usage: cost.usage ?? null,
    cost_micro_usd: cost.microUsd,
    cost_source: cost.source,
  };
  const recordReply = (): void => {
    run.journal.finish(seq, 'done', outcome);
    run.ledger.settle(callId, { model: reply.model, usage: cost.usage, cost, attempts: reply.attempts });
    run.countStep();
    const action =
      reply.toolCalls.length > 0 ? `wants ${reply.toolCalls.map(call => call.name).join(', ')}` : 'answered';
    run.event('llm.reply', {
      summary: `step ${step}: ${reply.model} ${action} (${usageText(outcome)})`,
      step,
      model: reply.model,
      usage: outcome.usage,
      cost_micro_usd: outcome.cost_micro_usd,
      cost_source: outcome.cost_source,
      tool_calls: reply.toolCalls.map(call => call.name),
    });
  };
  // A reply that asks for tools is recorded with the first tool call's intent, before any tool runs.
  if (reply.toolCalls.length > 0) run.recordLater(recordReply);
  else await run.record(recordReply);
  run.step = step;
  run.stepsThisRun += 1;
  return reply;
}
