/**
 * The `llm` component of get_status: which provider and routes are configured, where the key comes from (never
 * the key), and whether the endpoint answers — probed with GET /models at most every 30 s.
 */
import type { ComponentStatus } from '../../protocol/tools/system-tools.js';
import type { LoadedConfig } from '../config/load.js';
import { keyHint, PROVIDERS_NEEDING_KEY, resolveApiKey } from './api-key.js';

const PROBE_TIMEOUT_MS = 1_500;
const PROBE_CACHE_MS = 30_000;

export function llmStatusProvider(
  config: () => LoadedConfig,
  env: Readonly<Record<string, string | undefined>>,
) {
  let cached: { at: number; signature: string; status: ComponentStatus } | undefined;
  return async (): Promise<ComponentStatus> => {
    const loaded = config();
    const { llm } = loaded.config;
    const key = resolveApiKey(loaded, env);
    const data = {
      provider: llm.provider,
      base_url: llm.base_url,
      routes: llm.routes,
      key_source: key.source,
      stream: llm.stream,
    };
    if (PROVIDERS_NEEDING_KEY.has(llm.provider) && !key.key) {
      return {
        status: 'unavailable',
        detail: `no API key for ${llm.provider}. ${keyHint(llm.provider)}`,
        data,
      };
    }
    const signature = `${llm.base_url}\u0000${key.key ?? ''}`;
    if (cached && cached.signature === signature && Date.now() - cached.at < PROBE_CACHE_MS)
      return cached.status;
    let status: ComponentStatus;
    const route = `default route ${llm.routes.default.join(' → ')}`;
    try {
      const response = await fetch(`${llm.base_url.replace(/\/+$/, '')}/models`, {
        headers: key.key ? { Authorization: `Bearer ${key.key}` } : {},
        signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      });
      await response.body?.cancel();
      status =
        response.status === 401 || response.status === 403
          ? {
              status: 'degraded',
              detail: `${llm.base_url} refused the API key (HTTP ${response.status}). ${keyHint(llm.provider)}`,
              data,
            }
          : { status: 'ok', detail: `${llm.provider} at ${llm.base_url}, ${route}`, data };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      status = {
        status: 'unavailable',
        detail:
          `no LLM reachable at ${llm.base_url} (${cause}): start a LiteLLM proxy there, or set llm.provider ` +
          '(openai, claude, gemini, ollama, openrouter) and AZ_LLM_API_KEY',
        data,
      };
    }
    cached = { at: Date.now(), signature, status };
    return status;
  };
}
