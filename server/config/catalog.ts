/**
 * The key catalog: every leaf of ConfigSchema as a dotted key with its schema, default, description and flags.
 * It drives validation messages, `AZ_*` environment overrides, `az config list` and secret masking.
 */
import * as z from 'zod';
import { ConfigSchema } from './schema.js';

export interface ConfigKey {
  key: string;
  /** `AZ_` + the key in upper case with dots as underscores: llm.base_url → AZ_LLM_BASE_URL. */
  env: string;
  schema: z.ZodType;
  defaultValue: unknown;
  description: string;
  secret: boolean;
  restart: boolean;
  /** Allowed values when the leaf is an enum. */
  choices: readonly string[] | undefined;
}

type AnyDef = { type: string; innerType?: z.ZodType; element?: z.ZodType };

function defOf(schema: z.ZodType): AnyDef {
  return (schema as unknown as { def: AnyDef }).def;
}

/** Strips default/prefault/optional/nullable wrappers to reach the schema that says what the value is. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (['default', 'prefault', 'optional', 'nullable', 'readonly'].includes(def.type) && def.innerType) {
      current = def.innerType;
    } else {
      return current;
    }
  }
}

function metaOf(schema: z.ZodType): Record<string, unknown> {
  // Metadata may sit on any wrapper layer; merge them outside-in.
  const merged: Record<string, unknown> = {};
  let current: z.ZodType | undefined = schema;
  while (current) {
    Object.assign(merged, { ...(current.meta() ?? {}), ...merged });
    if (current.description && merged.description === undefined) merged.description = current.description;
    const def = defOf(current);
    current = ['default', 'prefault', 'optional', 'nullable', 'readonly'].includes(def.type)
      ? def.innerType
      : undefined;
  }
  return merged;
}

function choicesOf(schema: z.ZodType): readonly string[] | undefined {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodEnum) return inner.options.map(String);
  return undefined;
}

function getPath(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

export function buildCatalog(root: z.ZodType = ConfigSchema()): Map<string, ConfigKey> {
  const defaults = root.parse({});
  const catalog = new Map<string, ConfigKey>();
  const walk = (schema: z.ZodType, path: string[]): void => {
    const inner = unwrap(schema);
    if (inner instanceof z.ZodObject) {
      for (const [name, child] of Object.entries(inner.shape as Record<string, z.ZodType>)) {
        if (name === '$schema') continue;
        walk(child, [...path, name]);
      }
      return;
    }
    const key = path.join('.');
    const meta = metaOf(schema);
    catalog.set(key, {
      key,
      env: `AZ_${path.join('_').toUpperCase()}`,
      schema,
      defaultValue: getPath(defaults, path),
      description: typeof meta.description === 'string' ? meta.description : '',
      secret: meta.secret === true,
      restart: meta.restart === true,
      choices: choicesOf(schema),
    });
  };
  walk(root, []);
  return catalog;
}

/** Keys that share a prefix with `query`, for "did you mean" messages. */
export function suggestKeys(catalog: Map<string, ConfigKey>, query: string): string[] {
  const section = query.split('.')[0] ?? '';
  const inSection = [...catalog.keys()].filter(key => key.startsWith(`${section}.`));
  return inSection.length > 0 ? inSection : [...catalog.keys()];
}

export { getPath };
