/**
 * Where the LLM API key comes from: AZ_LLM_API_KEY or llm.api_key first, then the variable users of that
 * provider already have set (OPENAI_API_KEY, ANTHROPIC_API_KEY…). The key itself is never logged or returned.
 */
import type { LoadedConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';

type Provider = Config['llm']['provider'];

export const PROVIDER_KEY_VARIABLES: Readonly<Record<Provider, readonly string[]>> = {
  litellm: ['LITELLM_API_KEY'],
  openai: ['OPENAI_API_KEY'],
  claude: ['ANTHROPIC_API_KEY'],
  gemini: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
  ollama: [],
  openrouter: ['OPENROUTER_API_KEY'],
  custom: [],
};

/** Providers whose hosted API refuses every call without a key. */
export const PROVIDERS_NEEDING_KEY: ReadonlySet<Provider> = new Set([
  'openai',
  'claude',
  'gemini',
  'openrouter',
]);

export interface ResolvedKey {
  key: string | undefined;
  /** Where it came from, for status and error messages (never the key). */
  source: string;
}

export function resolveApiKey(
  loaded: LoadedConfig,
  env: Readonly<Record<string, string | undefined>>,
): ResolvedKey {
  const configured = loaded.config.llm.api_key;
  if (configured) {
    return {
      key: configured,
      source: loaded.sourceOf('llm.api_key') === 'env' ? 'AZ_LLM_API_KEY' : 'llm.api_key in config.json',
    };
  }
  for (const variable of PROVIDER_KEY_VARIABLES[loaded.config.llm.provider]) {
    const value = env[variable];
    if (value) return { key: value, source: variable };
  }
  return { key: undefined, source: 'none' };
}

export function keyHint(provider: Provider): string {
  const conventional = PROVIDER_KEY_VARIABLES[provider];
  return (
    `Set AZ_LLM_API_KEY${conventional.length > 0 ? ` (or ${conventional.join(' / ')})` : ''} in the environment of the ` +
    'AZ-OS server, or `az config set llm.api_key KEY`.'
  );
}
