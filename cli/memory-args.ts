/** Parsing `key=value` flags of the memory commands into metadata and filters. */
import { AppError } from '../protocol/errors.js';

/** `key=value` pairs; values that read as numbers or booleans become them. */
export function parsePairs(
  values: readonly string[],
  what: string,
): Record<string, string | number | boolean> {
  const result: Record<string, string | number | boolean> = {};
  for (const pair of values) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new AppError('INVALID_INPUT', `${what} '${pair}' is not key=value`);
    const raw = pair.slice(at + 1);
    result[pair.slice(0, at)] =
      raw === 'true'
        ? true
        : raw === 'false'
          ? false
          : raw !== '' && Number.isFinite(Number(raw))
            ? Number(raw)
            : raw;
  }
  return result;
}
