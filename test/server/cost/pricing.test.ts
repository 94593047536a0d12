import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config/load.js';
import { callCost } from '../../../server/cost/call-cost.js';
import { parseUsdToMicro, tokensCost } from '../../../server/cost/money.js';
import { PRICE_TABLE } from '../../../server/cost/price-table.js';
import { createPriceLookup } from '../../../server/cost/prices.js';

const config = (file: Record<string, unknown> = {}) =>
  loadConfig({ fileText: JSON.stringify(file), filePath: '/c.json', env: {} }).config;

describe('money in micro-dollars', () => {
  it('parses decimal and exponent dollar strings exactly, rounding half up at the sixth decimal', () => {
    expect(parseUsdToMicro('0.000165')).toBe(165);
    expect(parseUsdToMicro('1.65e-4')).toBe(165);
    expect(parseUsdToMicro('6.45e-05')).toBe(65);
    expect(parseUsdToMicro('0.0000004')).toBe(0);
    expect(parseUsdToMicro('12.3456789')).toBe(12_345_679);
    expect(parseUsdToMicro('3')).toBe(3_000_000);
  });

  it('refuses what is not a non-negative amount', () => {
    for (const text of ['', 'abc', '-1', '1e20', 'NaN', '0x10', '1,5'])
      expect(parseUsdToMicro(text)).toBeUndefined();
  });

  it('prices tokens with one rounding per call', () => {
    // 376×0.15 + 1024×0.075 + 20×0.6 = 145.2 µ$
    expect(
      tokensCost([
        [376, 150_000],
        [1024, 75_000],
        [20, 600_000],
      ]),
    ).toBe(145);
  });
});

describe('the price table', () => {
  it('cites a source and a date for every row', () => {
    for (const row of PRICE_TABLE) {
      expect(row.source).toMatch(/^https:\/\//);
      expect(row.as_of).toMatch(/^\d{4}-\d{2}$/);
      expect(row.cached_input).toBeLessThanOrEqual(row.input);
    }
  });

  it('finds models under provider prefixes, dated names and dotted versions', () => {
    const lookup = createPriceLookup(config());
    expect(lookup('gpt-4o-mini-2024-07-18')?.model).toBe('gpt-4o-mini');
    expect(lookup('openai/gpt-4.1-mini')?.model).toBe('gpt-4.1-mini');
    expect(lookup('anthropic/claude-sonnet-4.5')?.model).toBe('claude-sonnet-4-5');
    expect(lookup('claude-haiku-4-5-20251001')?.model).toBe('claude-haiku-4-5');
    expect(lookup('my-private-model')).toBeUndefined();
  });

  it('lets cost.prices override and add models', () => {
    const lookup = createPriceLookup(
      config({
        cost: {
          prices: {
            'my-model': { input: 1, output: 2 },
            'gpt-4o-mini': { input: 9, output: 9, cached_input: 1 },
          },
        },
      }),
    );
    expect(lookup('my-model')).toMatchObject({
      inputPerMillion: 1_000_000,
      cachedInputPerMillion: 1_000_000,
      outputPerMillion: 2_000_000,
    });
    expect(lookup('gpt-4o-mini')?.inputPerMillion).toBe(9_000_000);
  });

  it('treats any model of a local ollama provider as free, not unknown', () => {
    expect(createPriceLookup(config({ llm: { provider: 'ollama' } }))('llama3.1:8b')?.inputPerMillion).toBe(
      0,
    );
  });
});

describe('the cost of one call', () => {
  const prices = createPriceLookup(config());
  const usage = { input: 1000, cachedInput: 0, output: 100 };

  it('prefers the proxy header, then usage.cost, then the price table', () => {
    expect(
      callCost({ models: ['gpt-4o-mini'], usage, proxyHeader: '0.001', usageCost: 0.002 }, prices),
    ).toEqual({ microUsd: 1000, source: 'proxy_header' });
    expect(callCost({ models: ['gpt-4o-mini'], usage, proxyHeader: null, usageCost: 0.002 }, prices)).toEqual(
      { microUsd: 2000, source: 'usage_cost' },
    );
    expect(
      callCost({ models: ['gpt-4o-mini'], usage, proxyHeader: null, usageCost: undefined }, prices),
    ).toEqual({ microUsd: 210, source: 'price_table' });
  });

  it('does not trust a malformed header, or a 0 header while tokens were used', () => {
    expect(
      callCost({ models: ['gpt-4o-mini'], usage, proxyHeader: 'NaN', usageCost: undefined }, prices).source,
    ).toBe('price_table');
    expect(
      callCost({ models: ['gpt-4o-mini'], usage, proxyHeader: '0.0', usageCost: undefined }, prices).source,
    ).toBe('price_table');
  });

  it('marks an unpriced model unknown (null), never 0', () => {
    expect(
      callCost({ models: ['my-private-model'], usage, proxyHeader: null, usageCost: undefined }, prices),
    ).toEqual({ microUsd: null, source: 'unknown' });
  });
});
