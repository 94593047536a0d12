/**
 * Finding the price of a model: config overrides first, then the bundled table, trying the name as the
 * provider reported it, without a provider prefix (`openai/gpt-4.1-mini`), without a date or `-latest` suffix
 * (`gpt-4o-mini-2024-07-18`), and with version dots as dashes (`claude-sonnet-4.5`). A model found nowhere
 * has no price: its cost is unknown, never 0. Local models (provider ollama) are free by definition.
 */
import type { Config } from '../config/schema.js';
import { usdPerMillionToMicro } from './money.js';
import { PRICE_TABLE } from './price-table.js';

export interface ModelPrice {
  model: string;
  /** Micro-dollars per million tokens. */
  inputPerMillion: number;
  cachedInputPerMillion: number;
  outputPerMillion: number;
  source: string;
}

export type PriceLookup = (model: string) => ModelPrice | undefined;

function candidates(model: string): string[] {
  const names = new Set<string>();
  const add = (name: string): void => {
    if (name.length === 0) return;
    names.add(name);
    names.add(name.toLowerCase());
  };
  const base = model.includes('/') ? (model.split('/').at(-1) as string) : model;
  for (const name of [model, base]) {
    add(name);
    const undated = name.replace(/-(\d{4}-\d{2}-\d{2}|\d{8}|latest)$/i, '');
    add(undated);
    add(undated.replace(/(\d)\.(\d)/g, '$1-$2'));
  }
  return [...names];
}

export function createPriceLookup(config: Config): PriceLookup {
  const table = new Map<string, ModelPrice>();
  for (const row of PRICE_TABLE) {
    table.set(row.model, {
      model: row.model,
      inputPerMillion: usdPerMillionToMicro(row.input),
      cachedInputPerMillion: usdPerMillionToMicro(row.cached_input),
      outputPerMillion: usdPerMillionToMicro(row.output),
      source: `${row.source} (${row.as_of})`,
    });
  }
  for (const [model, price] of Object.entries(config.cost.prices)) {
    table.set(model, {
      model,
      inputPerMillion: usdPerMillionToMicro(price.input),
      cachedInputPerMillion: usdPerMillionToMicro(price.cached_input ?? price.input),
      outputPerMillion: usdPerMillionToMicro(price.output),
      source: 'config cost.prices',
    });
  }
  const local = config.llm.provider === 'ollama';
  // A lookup is made for every model call; the answer per model name never changes for this config.
  const known = new Map<string, ModelPrice | undefined>();
  const find = (model: string): ModelPrice | undefined => {
    for (const name of candidates(model)) {
      const found = table.get(name);
      if (found) return found;
    }
    if (local) {
      return {
        model,
        inputPerMillion: 0,
        cachedInputPerMillion: 0,
        outputPerMillion: 0,
        source: 'local model (llm.provider ollama)',
      };
    }
    return undefined;
  };
  return model => {
    if (!known.has(model)) known.set(model, find(model));
    return known.get(model);
  };
}
