/**
 * Turning text (from the command line or the environment) into a config value, and validating it against the
 * key's schema with a message that lists the valid choices.
 */
import type * as z from 'zod';
import { AppError, describeZodError } from '../../protocol/errors.js';
import type { ConfigKey } from './catalog.js';

type AnyDef = { type: string; innerType?: z.ZodType };

function baseType(schema: z.ZodType): string {
  let current = schema;
  for (;;) {
    const def = (current as unknown as { def: AnyDef }).def;
    if (['default', 'prefault', 'optional', 'nullable', 'readonly'].includes(def.type) && def.innerType) {
      current = def.innerType;
    } else {
      return def.type;
    }
  }
}

/** Text → value: numbers, booleans, null and JSON arrays/objects where the key expects them. */
export function coerceText(entry: ConfigKey, text: string): unknown {
  const type = baseType(entry.schema);
  const trimmed = text.trim();
  if (trimmed === 'null') return null;
  if (type === 'number') {
    const number = Number(trimmed);
    return trimmed !== '' && Number.isFinite(number) ? number : text;
  }
  if (type === 'boolean') {
    if (['true', 'yes', 'on', '1'].includes(trimmed.toLowerCase())) return true;
    if (['false', 'no', 'off', '0'].includes(trimmed.toLowerCase())) return false;
    return text;
  }
  if (type === 'array') {
    if (trimmed.startsWith('[')) {
      try {
        return JSON.parse(trimmed) as unknown;
      } catch {
        return text;
      }
    }
    return trimmed === '' ? [] : trimmed.split(',').map(part => part.trim());
  }
  if (type === 'object' || type === 'record') {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

export function validateValue(entry: ConfigKey, value: unknown): unknown {
  const input = typeof value === 'string' ? coerceText(entry, value) : value;
  const parsed = entry.schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const choices = entry.choices ? ` Valid choices: ${entry.choices.join(', ')}.` : '';
  throw new AppError(
    'INVALID_INPUT',
    `invalid value for ${entry.key}: ${describeZodError(parsed.error).replace(/^\(arguments\): /, '')}.${choices}`,
    { details: { key: entry.key, ...(entry.choices ? { choices: entry.choices } : {}) } },
  );
}
