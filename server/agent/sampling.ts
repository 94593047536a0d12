/**
 * Answering sampling requests from external MCP servers: through the LLM gateway on the task's model route,
 * metered and budgeted like the agent's own calls (recorded as purpose "sampling" on the task).
 */
import type { CreateMessageRequest, CreateMessageResult } from '@modelcontextprotocol/client';
import { costOfBilled, estimateMicroUsd } from '../cost/metering.js';
import { billedOf } from '../llm/gateway.js';
import type { ChatMessage } from '../llm/types.js';
import type { SamplingHandler } from './mcp-connections.js';
import type { RunContext } from './run-context.js';

type SamplingParams = CreateMessageRequest['params'];

function textOf(content: unknown): string {
  const blocks = Array.isArray(content) ? content : [content];
  return blocks
    .map(block => {
      const typed = block as { type?: string; text?: string; mimeType?: string };
      return typed.type === 'text'
        ? (typed.text ?? '')
        : `[${typed.type ?? 'content'}${typed.mimeType ? ` ${typed.mimeType}` : ''}]`;
    })
    .join('\n');
}

export function toMessages(params: SamplingParams): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (params.systemPrompt) messages.push({ role: 'system', content: params.systemPrompt });
  for (const message of params.messages) {
    const text = textOf(message.content);
    messages.push(
      message.role === 'assistant' ? { role: 'assistant', content: text } : { role: 'user', content: text },
    );
  }
  return messages;
}

export function samplingHandler(run: () => RunContext): SamplingHandler {
  return async (params, signal) => {
    const context = run();
    const chain = context.gateway.resolveChain(context.task.model);
    const request = {
      messages: toMessages(params),
      route: context.task.model,
      maxOutputTokens: Math.min(params.maxTokens, context.config.llm.max_output_tokens),
    };
    const estimate = (): number => estimateMicroUsd(request, chain.models, context.prices, context.config);
    const callId = await context.ledger.reserve(
      {
        taskId: context.task.id,
        purpose: 'sampling',
        route: chain.route,
        estimateMicroUsd: estimate,
        owner: context.owner,
      },
      AbortSignal.any([signal, context.signals.llm]),
    );
    try {
      const reply = await context.gateway.complete(request, {
        signal: AbortSignal.any([signal, context.signals.llm]),
      });
      const cost = costOfBilled(reply.billed, context.prices);
      context.ledger.settle(callId, {
        model: reply.model,
        usage: cost.usage,
        cost,
        attempts: reply.attempts,
      });
      context.writes.write(() =>
        context.event('llm.sampling', {
          summary: `sampling for an MCP server: ${reply.model}`,
          model: reply.model,
          cost_micro_usd: cost.microUsd,
        }),
      );
      const result: CreateMessageResult = {
        model: reply.model,
        role: 'assistant',
        content: { type: 'text', text: reply.content ?? '' },
        stopReason: reply.finishReason === 'length' ? 'maxTokens' : 'endTurn',
      };
      return result;
    } catch (error) {
      const cost = costOfBilled(billedOf(error), context.prices);
      if (signal.aborted || context.signals.llm.aborted)
        context.ledger.interrupt({ callId }, 'cancelled during the call');
      else
        context.ledger.settle(callId, { model: cost.model, usage: cost.usage, cost, attempts: 0 }, 'failed');
      throw error;
    }
  };
}
