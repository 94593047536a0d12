/**
 * The cost of one model call, from the best source available: the LiteLLM proxy's `x-litellm-response-cost`
 * header (non-streamed replies), else `usage.cost` in the final streamed chunk, else the reported usage times
 * the price table. A header or usage cost that is missing, malformed or 0 while tokens were used is not
 * trusted. Nothing known → the cost is unknown (null), never 0.
 */
import { parseUsdToMicro, tokensCost } from './money.js';
import type { PriceLookup } from './prices.js';

export interface TokenUsage {
  input: number;
  /** Of `input`, served from the provider's prompt cache. */
  cachedInput: number;
  output: number;
}

export type CostSource = 'proxy_header' | 'usage_cost' | 'price_table' | 'unknown';

export interface CallCost {
  microUsd: number | null;
  source: CostSource;
}

export interface CostEvidence {
  /** The model that answered (from the reply), then the model asked for. */
  models: readonly string[];
  usage: TokenUsage | undefined;
  proxyHeader: string | null | undefined;
  usageCost: unknown;
}

function trusted(micro: number | undefined, usage: TokenUsage | undefined): micro is number {
  if (micro === undefined) return false;
  // A proxy that cannot price a model may say 0; with tokens used, that is not a real price.
  return micro > 0 || usage === undefined || usage.input + usage.output === 0;
}

export function priceUsage(usage: TokenUsage, models: readonly string[], prices: PriceLookup): number | null {
  for (const model of models) {
    const price = prices(model);
    if (!price) continue;
    const cached = Math.min(usage.cachedInput, usage.input);
    return tokensCost([
      [usage.input - cached, price.inputPerMillion],
      [cached, price.cachedInputPerMillion],
      [usage.output, price.outputPerMillion],
    ]);
  }
  return null;
}

export function callCost(evidence: CostEvidence, prices: PriceLookup): CallCost {
  if (typeof evidence.proxyHeader === 'string') {
    const micro = parseUsdToMicro(evidence.proxyHeader);
    if (trusted(micro, evidence.usage)) return { microUsd: micro, source: 'proxy_header' };
  }
  if (typeof evidence.usageCost === 'number' && Number.isFinite(evidence.usageCost)) {
    const micro = parseUsdToMicro(String(evidence.usageCost));
    if (trusted(micro, evidence.usage)) return { microUsd: micro, source: 'usage_cost' };
  }
  if (evidence.usage) {
    const micro = priceUsage(evidence.usage, evidence.models, prices);
    if (micro !== null) return { microUsd: micro, source: 'price_table' };
  }
  return { microUsd: null, source: 'unknown' };
}
