/**
 * Money arithmetic in integer micro-dollars (1 USD = 1,000,000). Decimal strings are parsed digit by digit so
 * "0.000165" is exactly 165, never 164.99999. Fractions of a micro-dollar round half up, once per call.
 */

export const MICRO_PER_USD = 1_000_000;

/** Dollars per million tokens → micro-dollars per million tokens (an integer). */
export function usdPerMillionToMicro(usd: number): number {
  const micro = parseUsdToMicro(String(usd));
  if (micro === undefined) throw new Error(`not a price: ${usd}`);
  return micro;
}

/** Dollars (a number from an API, e.g. a budget) → micro-dollars. */
export function usdToMicro(usd: number): number {
  const micro = parseUsdToMicro(String(usd));
  if (micro === undefined) throw new Error(`not an amount of dollars: ${usd}`);
  return micro;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/**
 * Parses a non-negative decimal dollar amount ("0.000165", "1.65e-4", "3") into micro-dollars, rounding half
 * up at the sixth decimal. Returns undefined for anything else (negative, NaN, words, absurdly large).
 */
export function parseUsdToMicro(text: string): number | undefined {
  const match = DECIMAL.exec(text.trim());
  if (!match) return undefined;
  const whole = match[1] as string;
  const fraction = match[2] ?? '';
  const exponent = Number(match[3] ?? '0');
  if (!Number.isInteger(exponent) || Math.abs(exponent) > 30) return undefined;
  // All digits as one integer string with the decimal point `pointAt` digits from the left.
  const digits = `${whole}${fraction}`.replace(/^0+(?=\d)/, '');
  const pointAt = whole.length - (`${whole}${fraction}`.length - digits.length) + exponent;
  // Micro-dollars: the point moves 6 places right; one more digit decides the rounding.
  const keep = pointAt + 6;
  if (keep > 15) return undefined;
  if (keep < 0) return 0;
  const padded = digits.padEnd(keep + 1, '0');
  const integerPart = padded.slice(0, keep) || '0';
  const roundDigit = Number(padded[keep] ?? '0');
  const value = Number(integerPart) + (roundDigit >= 5 ? 1 : 0);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** Σ tokens × micro-dollars-per-million, divided by a million with one half-up rounding. */
export function tokensCost(parts: readonly (readonly [tokens: number, microPerMillion: number])[]): number {
  let numerator = 0;
  for (const [tokens, price] of parts) numerator += tokens * price;
  return Math.floor((numerator + 500_000) / 1_000_000);
}
