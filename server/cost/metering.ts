/**
 * Metering helpers shared by agent steps and sampling requests: how much to reserve before a call, and what
 * the call cost afterwards (every reply the provider produced counts, including rejected ones).
 */
import type { Config } from '../config/schema.js';
import type { BilledAttempt, LlmRequest } from '../llm/types.js';
import { callCost, type CallCost, type TokenUsage } from './call-cost.js';
import { tokensCost } from './money.js';
import type { PriceLookup } from './prices.js';

/**
 * An upper bound of a call's cost: every byte of the request (messages and tool schemas as JSON) counted as an
 * input token — byte-level tokenizers never produce more tokens than bytes — plus the full output cap, at the
 * most expensive model of the chain. 0 when no model of the chain has a price.
 */
export function estimateMicroUsd(
  request: LlmRequest,
  models: readonly string[],
  prices: PriceLookup,
  config: Config,
): number {
  const input =
    Buffer.byteLength(JSON.stringify(request.messages)) +
    Buffer.byteLength(JSON.stringify(request.tools ?? []));
  const output = request.maxOutputTokens ?? config.llm.max_output_tokens;
  let highest = 0;
  for (const model of models) {
    const price = prices(model);
    if (!price) continue;
    highest = Math.max(
      highest,
      tokensCost([
        [input, price.inputPerMillion],
        [output, price.outputPerMillion],
      ]),
    );
  }
  return highest;
}

export interface MeteredCost extends CallCost {
  usage: TokenUsage | undefined;
  model: string | null;
}

/** The cost of every billed reply of one logical call; unknown if any of them is. */
export function costOfBilled(billed: readonly BilledAttempt[], prices: PriceLookup): MeteredCost {
  if (billed.length === 0) return { microUsd: 0, source: 'price_table', usage: undefined, model: null };
  let total = 0;
  let unknown = false;
  let source: CallCost['source'] = 'price_table';
  const usage: TokenUsage = { input: 0, cachedInput: 0, output: 0 };
  let sawUsage = false;
  for (const attempt of billed) {
    const cost = callCost(
      {
        models: [attempt.model, attempt.requestedModel],
        usage: attempt.usage,
        proxyHeader: attempt.proxyCostHeader,
        usageCost: attempt.usageCost,
      },
      prices,
    );
    if (cost.microUsd === null) unknown = true;
    else total += cost.microUsd;
    source = cost.source;
    if (attempt.usage) {
      sawUsage = true;
      usage.input += attempt.usage.input;
      usage.cachedInput += attempt.usage.cachedInput;
      usage.output += attempt.usage.output;
    }
  }
  return {
    microUsd: unknown ? null : total,
    source: unknown ? 'unknown' : source,
    usage: sawUsage ? usage : undefined,
    model: billed.at(-1)?.model ?? null,
  };
}
