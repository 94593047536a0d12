/**
 * Reading and changing configuration as MCP tools do it: validated key by key against the catalog, secrets
 * masked, config.json rewritten atomically, and the running server's view reloaded.
 */
import { AppError } from '../../protocol/errors.js';
import type { ConfigEntry } from '../../protocol/tools/system-tools.js';
import { getPath, suggestKeys, type ConfigKey } from './catalog.js';
import { readConfigText, writeConfigFile } from './config-file.js';
import { deletePath, parseConfigFile, setPath, type LoadedConfig } from './load.js';
import { presetValues } from './providers.js';
import type { Config } from './schema.js';
import { validateValue } from './values.js';

export const MASK = '********';

export interface ConfigServiceDeps {
  configFile: string;
  current: () => LoadedConfig;
  reload: () => LoadedConfig;
}

function lookup(catalog: Map<string, ConfigKey>, key: string): ConfigKey {
  const entry = catalog.get(key);
  if (entry) return entry;
  const candidates = suggestKeys(catalog, key);
  throw new AppError('INVALID_INPUT', `unknown config key '${key}'`, {
    hint: `Valid keys: ${candidates.join(', ')}.`,
    details: { key, choices: candidates },
  });
}

function describe(loaded: LoadedConfig, entry: ConfigKey): ConfigEntry {
  const value = getPath(loaded.config, entry.key.split('.'));
  const mask = (raw: unknown): unknown =>
    entry.secret ? (raw === null || raw === undefined ? null : MASK) : raw;
  return {
    key: entry.key,
    value: mask(value),
    default: mask(entry.defaultValue),
    source: loaded.sourceOf(entry.key),
    description: entry.description,
    secret: entry.secret,
  };
}

export type ConfigService = ReturnType<typeof createConfigService>;

export function createConfigService({ configFile, current, reload }: ConfigServiceDeps) {
  const readFile = (): Record<string, unknown> => parseConfigFile(readConfigText(configFile), configFile);

  return {
    entries(prefix?: string): ConfigEntry[] {
      const loaded = current();
      const all = [...loaded.catalog.values()];
      if (prefix === undefined) return all.map(entry => describe(loaded, entry));
      const matching = all.filter(entry => entry.key === prefix || entry.key.startsWith(`${prefix}.`));
      if (matching.length === 0) lookup(loaded.catalog, prefix);
      return matching.map(entry => describe(loaded, entry));
    },

    set(key: string, value: unknown): { entry: ConfigEntry; changed: string[]; restart_required: boolean } {
      const { catalog } = current();
      const entry = lookup(catalog, key);
      const validated = validateValue(entry, value);
      const file = readFile();
      const changes: [string, unknown][] = [[key, validated]];
      if (key === 'llm.provider') {
        for (const [presetKey, presetValue] of Object.entries(
          presetValues(validated as Config['llm']['provider']),
        )) {
          changes.push([presetKey, presetValue]);
        }
      }
      for (const [changeKey, changeValue] of changes) setPath(file, changeKey, changeValue);
      parseConfigFile(JSON.stringify(file), configFile);
      writeConfigFile(configFile, file);
      const loaded = reload();
      return {
        entry: describe(loaded, entry),
        changed: changes.map(([changeKey]) => changeKey),
        restart_required: changes.some(([changeKey]) => catalog.get(changeKey)?.restart === true),
      };
    },

    unset(key: string): { entry: ConfigEntry; restart_required: boolean } {
      const { catalog } = current();
      const entry = lookup(catalog, key);
      const file = readFile();
      if (deletePath(file, key)) writeConfigFile(configFile, file);
      const loaded = reload();
      return { entry: describe(loaded, entry), restart_required: entry.restart };
    },
  };
}
