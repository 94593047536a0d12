/**
 * The bundled price table: US dollars per million tokens for common models, each row with the page it was
 * taken from and when. Users override or add rows with `cost.prices` in the config. Prices change: a row here
 * is a default, not a promise — a LiteLLM proxy's own cost header takes precedence over it.
 *
 * `cached_input` is the price of prompt tokens served from the provider's cache (OpenAI "cached input",
 * Anthropic "cache read", Google "context caching" for prompts up to 200k tokens). Cache writes (Anthropic) are
 * billed as plain input here.
 */

export interface PriceRow {
  model: string;
  /** US dollars per million tokens. */
  input: number;
  cached_input: number;
  output: number;
  source: string;
  as_of: string;
}

const OPENAI = 'https://platform.openai.com/docs/pricing';
const ANTHROPIC = 'https://docs.anthropic.com/en/docs/about-claude/pricing';
const GOOGLE = 'https://ai.google.dev/gemini-api/docs/pricing';

const row = (
  model: string,
  input: number,
  cached_input: number,
  output: number,
  source: string,
  as_of: string,
): PriceRow => ({ model, input, cached_input, output, source, as_of });

export const PRICE_TABLE: readonly PriceRow[] = [
  row('gpt-4o', 2.5, 1.25, 10, OPENAI, '2025-08'),
  row('gpt-4o-mini', 0.15, 0.075, 0.6, OPENAI, '2025-08'),
  row('gpt-4.1', 2, 0.5, 8, OPENAI, '2025-08'),
  row('gpt-4.1-mini', 0.4, 0.1, 1.6, OPENAI, '2025-08'),
  row('gpt-4.1-nano', 0.1, 0.025, 0.4, OPENAI, '2025-08'),
  row('gpt-5', 1.25, 0.125, 10, OPENAI, '2025-08'),
  row('gpt-5-mini', 0.25, 0.025, 2, OPENAI, '2025-08'),
  row('gpt-5-nano', 0.05, 0.005, 0.4, OPENAI, '2025-08'),
  row('o3', 2, 0.5, 8, OPENAI, '2025-08'),
  row('o3-mini', 1.1, 0.55, 4.4, OPENAI, '2025-08'),
  row('o4-mini', 1.1, 0.275, 4.4, OPENAI, '2025-08'),
  row('claude-opus-4-1', 15, 1.5, 75, ANTHROPIC, '2025-08'),
  row('claude-opus-4', 15, 1.5, 75, ANTHROPIC, '2025-08'),
  row('claude-sonnet-4-5', 3, 0.3, 15, ANTHROPIC, '2025-09'),
  row('claude-sonnet-4', 3, 0.3, 15, ANTHROPIC, '2025-08'),
  row('claude-3-7-sonnet', 3, 0.3, 15, ANTHROPIC, '2025-08'),
  row('claude-haiku-4-5', 1, 0.1, 5, ANTHROPIC, '2025-10'),
  row('claude-3-5-haiku', 0.8, 0.08, 4, ANTHROPIC, '2025-08'),
  row('gemini-2.5-pro', 1.25, 0.31, 10, GOOGLE, '2025-07'),
  row('gemini-2.5-flash', 0.3, 0.075, 2.5, GOOGLE, '2025-07'),
  row('gemini-2.5-flash-lite', 0.1, 0.025, 0.4, GOOGLE, '2025-07'),
];
