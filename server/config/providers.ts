/**
 * Provider presets: `az config set llm.provider=claude` fills the base URL and model routes a user of that
 * provider would expect. Every value can still be overridden key by key afterwards.
 */
import type { Config } from './schema.js';

type Provider = Config['llm']['provider'];

interface Preset {
  base_url: string;
  routes: { default: string[]; cheap: string[]; strong: string[] };
}

export const PROVIDER_PRESETS: Record<Exclude<Provider, 'custom'>, Preset> = {
  litellm: {
    base_url: 'http://127.0.0.1:4000',
    routes: { default: ['gpt-4o-mini', 'gpt-4o'], cheap: ['gpt-4o-mini'], strong: ['gpt-4o', 'gpt-4o-mini'] },
  },
  openai: {
    base_url: 'https://api.openai.com/v1',
    routes: {
      default: ['gpt-4.1-mini', 'gpt-4o-mini'],
      cheap: ['gpt-4.1-nano', 'gpt-4o-mini'],
      strong: ['gpt-4.1', 'gpt-4o'],
    },
  },
  claude: {
    base_url: 'https://api.anthropic.com/v1',
    routes: {
      default: ['claude-sonnet-4-5', 'claude-haiku-4-5'],
      cheap: ['claude-haiku-4-5'],
      strong: ['claude-opus-4-1', 'claude-sonnet-4-5'],
    },
  },
  gemini: {
    base_url: 'https://generativelanguage.googleapis.com/v1beta/openai',
    routes: {
      default: ['gemini-2.5-flash', 'gemini-2.5-flash-lite'],
      cheap: ['gemini-2.5-flash-lite'],
      strong: ['gemini-2.5-pro', 'gemini-2.5-flash'],
    },
  },
  ollama: {
    base_url: 'http://127.0.0.1:11434/v1',
    routes: {
      default: ['llama3.1:8b'],
      cheap: ['llama3.2:3b'],
      strong: ['qwen2.5-coder:32b', 'llama3.1:8b'],
    },
  },
  openrouter: {
    base_url: 'https://openrouter.ai/api/v1',
    routes: {
      default: ['anthropic/claude-sonnet-4.5', 'openai/gpt-4.1-mini'],
      cheap: ['openai/gpt-4.1-nano'],
      strong: ['anthropic/claude-opus-4.1', 'anthropic/claude-sonnet-4.5'],
    },
  },
};

/** The keys a provider change sets, besides llm.provider itself. */
export function presetValues(provider: Provider): Record<string, unknown> {
  if (provider === 'custom') return {};
  const preset = PROVIDER_PRESETS[provider];
  return {
    'llm.base_url': preset.base_url,
    'llm.routes.default': preset.routes.default,
    'llm.routes.cheap': preset.routes.cheap,
    'llm.routes.strong': preset.routes.strong,
  };
}
