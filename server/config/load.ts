/**
 * Loading configuration: defaults < config.json < AZ_* environment. Pure: the caller reads the file and passes
 * the environment, so tests and the server load configuration the same way.
 */
import { AppError, describeZodError } from '../../protocol/errors.js';
import { buildCatalog, getPath, type ConfigKey } from './catalog.js';
import { CONFIG_SECTIONS, CONFIG_SECTION_NAMES, configSchemaFor, type Config } from './schema.js';
import { validateValue } from './values.js';

export type ConfigSource = 'default' | 'file' | 'env';

export interface LoadedConfig {
  config: Config;
  /** What config.json holds (only user-set keys). */
  file: Record<string, unknown>;
  sourceOf(key: string): ConfigSource;
  catalog: Map<string, ConfigKey>;
}

export interface LoadConfigInput {
  /** Contents of config.json, or undefined when there is none. */
  fileText: string | undefined;
  filePath: string;
  env: Record<string, string | undefined>;
  catalog?: Map<string, ConfigKey>;
}

export function parseConfigFile(fileText: string | undefined, filePath: string): Record<string, unknown> {
  if (fileText === undefined || fileText.trim() === '') return {};
  let json: unknown;
  try {
    json = JSON.parse(fileText);
  } catch (error) {
    throw new AppError('CONFIG_INVALID', `${filePath} is not valid JSON: ${(error as Error).message}`, {
      hint: 'Fix the file by hand, or move it away and run `az db init` to write a fresh one.',
    });
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new AppError('CONFIG_INVALID', `${filePath} must hold a JSON object`);
  }
  const checked = configSchemaFor(sectionsIn(json as Record<string, unknown>)).safeParse(json);
  if (!checked.success) {
    throw new AppError('CONFIG_INVALID', `${filePath}: ${describeZodError(checked.error)}`, {
      hint: 'Fix the key with `az config set KEY VALUE` or `az config unset KEY`, or edit the file.',
    });
  }
  return json as Record<string, unknown>;
}

/** The config sections `value` sets. */
function sectionsIn(value: Record<string, unknown>): typeof CONFIG_SECTION_NAMES {
  return CONFIG_SECTION_NAMES.filter(name => value[name] !== undefined);
}

/**
 * The configuration: the sections `merged` sets, validated now (they were checked already, key by key or as a
 * file), and the others with their defaults, worked out when first read — a command reads few sections, and
 * building a section's schema costs more than the command's own work (bench/core.js). The object reads like
 * a plain one: every section is an enumerable property, in the schema's order.
 */
function resolveSections(merged: Record<string, unknown>): Config {
  const parsed = configSchemaFor(sectionsIn(merged)).parse(merged) as Record<string, unknown>;
  const config: Record<string, unknown> = {};
  if (parsed.$schema !== undefined) config.$schema = parsed.$schema;
  for (const name of CONFIG_SECTION_NAMES) {
    if (parsed[name] !== undefined) {
      config[name] = parsed[name];
      continue;
    }
    Object.defineProperty(config, name, {
      enumerable: true,
      configurable: true,
      get() {
        const value: unknown = CONFIG_SECTIONS[name]().parse(undefined);
        Object.defineProperty(config, name, { value, enumerable: true, configurable: true, writable: true });
        return value;
      },
    });
  }
  return config as Config;
}

/**
 * Whether `env` may set a config key: those are AZ_ and the key in upper case, so they start with a section's
 * name (AZ_TASKS_…, AZ_LLM_…). Other AZ_ variables (AZ_HOME, AZ_TOKEN, AZ_DB_KEY, …) are not config keys.
 */
function mayOverride(env: Record<string, string | undefined>): boolean {
  const prefixes = CONFIG_SECTION_NAMES.map(name => `AZ_${name.toUpperCase()}_`);
  return Object.entries(env).some(
    ([name, value]) =>
      value !== undefined && value !== '' && prefixes.some(prefix => name.startsWith(prefix)),
  );
}

export function setPath(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let current = target;
  for (const part of parts.slice(0, -1)) {
    const next = current[part];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) current[part] = {};
    current = current[part] as Record<string, unknown>;
  }
  current[parts.at(-1) as string] = value;
}

export function deletePath(target: Record<string, unknown>, key: string): boolean {
  const parts = key.split('.');
  const chain: Record<string, unknown>[] = [target];
  for (const part of parts.slice(0, -1)) {
    const next = chain.at(-1)?.[part];
    if (next === null || typeof next !== 'object') return false;
    chain.push(next as Record<string, unknown>);
  }
  const leaf = parts.at(-1) as string;
  const parent = chain.at(-1) as Record<string, unknown>;
  if (!(leaf in parent)) return false;
  delete parent[leaf];
  // Drop sections left empty so config.json stays minimal.
  for (let index = chain.length - 1; index > 0; index -= 1) {
    if (Object.keys(chain[index] as object).length > 0) break;
    delete (chain[index - 1] as Record<string, unknown>)[parts[index - 1] as string];
  }
  return true;
}

export function loadConfig(input: LoadConfigInput): LoadedConfig {
  // The catalog (every key's schema) is built only when something needs it: an AZ_ override, `az config`.
  let catalog = input.catalog;
  const catalogNow = (): Map<string, ConfigKey> => (catalog ??= buildCatalog());
  const file = parseConfigFile(input.fileText, input.filePath);
  const merged = structuredClone(file);
  const fromEnv = new Set<string>();
  for (const entry of mayOverride(input.env) ? catalogNow().values() : []) {
    const raw = input.env[entry.env];
    if (raw === undefined || raw === '') continue;
    try {
      setPath(merged, entry.key, validateValue(entry, raw));
    } catch (error) {
      const reason = error instanceof AppError ? error.message : String(error);
      throw new AppError('CONFIG_INVALID', `environment variable ${entry.env}: ${reason}`, {
        hint: `Unset ${entry.env} or give it a valid value.`,
      });
    }
    fromEnv.add(entry.key);
  }
  const config = resolveSections(merged);
  return {
    config,
    file,
    get catalog() {
      return catalogNow();
    },
    sourceOf(key) {
      if (fromEnv.has(key)) return 'env';
      return getPath(file, key.split('.')) === undefined ? 'default' : 'file';
    },
  };
}
