/**
 * The LLM gateway: one chat completion for the agent, over the openai SDK against `llm.base_url`.
 *
 * A request names a route (default, cheap, strong) or a model; the route is a chain of models. Each model gets
 * `llm.max_retries` retries on rate limits, server errors, timeouts, dropped connections and malformed
 * replies — waiting what Retry-After asks, else an exponential delay with jitter — before the next model in
 * the chain is tried. Cancellation (the caller's AbortSignal) stops everything at once, including a request
 * in flight. When nothing answers, the error names the config keys to fix.
 */
import type OpenAI from 'openai';
import { AppError } from '../../protocol/errors.js';
import type { LoadedConfig } from '../config/load.js';
import { keyHint, PROVIDERS_NEEDING_KEY, resolveApiKey } from './api-key.js';
import { backoffDelay, RETRY_AFTER_CAP_MS, sleep } from './backoff.js';
import { classifyFailure, type Failure } from './failure.js';
import { loadOpenAI, type OpenAISdk } from './openai-sdk.js';
import { createNodeFetch } from './node-fetch.js';
import { callOnce, UnusableReplyError } from './openai-call.js';
import type { BilledAttempt, GatewayEvent, LlmReply, LlmRequest } from './types.js';

export const ROUTES = ['default', 'cheap', 'strong'] as const;

export interface GatewayDeps {
  config: () => LoadedConfig;
  env: Readonly<Record<string, string | undefined>>;
  random?: () => number;
}

export interface CompleteOptions {
  signal?: AbortSignal | undefined;
  onEvent?: ((event: GatewayEvent) => void) | undefined;
}

export type LlmGateway = ReturnType<typeof createLlmGateway>;

const SETUP_HINT =
  'Start a LiteLLM proxy at llm.base_url, or point AZ-OS at a provider: `az config set llm.provider openai` ' +
  '(or claude, gemini, ollama, openrouter) and set AZ_LLM_API_KEY. Keys: llm.provider, llm.base_url, llm.api_key, llm.routes.default.';

export function createLlmGateway({ config, env, random = Math.random }: GatewayDeps) {
  let cached: { signature: string; client: OpenAI } | undefined;
  const transport = createNodeFetch();

  function client(sdk: OpenAISdk): OpenAI {
    const { llm } = config().config;
    const key = resolveApiKey(config(), env);
    const signature = `${llm.base_url}\u0000${key.key ?? ''}`;
    if (cached?.signature !== signature) {
      cached = {
        signature,
        // The SDK would read OPENAI_API_KEY / OPENAI_BASE_URL from process.env: pass both explicitly.
        client: new sdk.OpenAI({
          baseURL: llm.base_url,
          apiKey: key.key ?? 'no-key',
          maxRetries: 0,
          fetch: transport.fetch,
        }),
      };
    }
    return cached.client;
  }

  function resolveChain(route: string | null | undefined): { route: string; models: string[] } {
    const name = route ?? 'default';
    const routes = config().config.llm.routes;
    if ((ROUTES as readonly string[]).includes(name))
      return { route: name, models: [...routes[name as (typeof ROUTES)[number]]] };
    return { route: name, models: [name] };
  }

  function assertConfigured(): void {
    const loaded = config();
    const provider = loaded.config.llm.provider;
    if (PROVIDERS_NEEDING_KEY.has(provider) && resolveApiKey(loaded, env).key === undefined) {
      throw new AppError(
        'LLM_ERROR',
        `no API key for the ${provider} provider at ${loaded.config.llm.base_url}`,
        {
          hint: keyHint(provider),
          details: { retryable: false, provider },
        },
      );
    }
  }

  function finalError(failures: { model: string; failure: Failure }[], baseUrl: string): AppError {
    const last = failures.at(-1);
    const summary = failures.map(({ model, failure }) => `${model}: ${failure.reason}`).join('; ');
    if (failures.length > 0 && failures.every(({ failure }) => failure.unreachable)) {
      return new AppError('UNAVAILABLE', `no LLM is reachable at ${baseUrl} (${last?.failure.reason})`, {
        hint: SETUP_HINT,
        details: { retryable: true, base_url: baseUrl },
      });
    }
    if (last?.failure.auth) {
      const provider = config().config.llm.provider;
      return new AppError('LLM_ERROR', `the LLM at ${baseUrl} refused the API key (${last.failure.reason})`, {
        hint: keyHint(provider),
        details: { retryable: false, base_url: baseUrl },
      });
    }
    const retryable = failures.some(({ failure }) => failure.kind === 'retry');
    return new AppError('LLM_ERROR', `every model failed: ${summary}`.slice(0, 1000), {
      hint: retryable
        ? 'The models were overloaded or unreachable; the task is retried with backoff. Add fallbacks with `az config set llm.routes.default MODEL1,MODEL2`.'
        : 'Check the model names in llm.routes (az config list llm) against what the endpoint serves.',
      details: { retryable, base_url: baseUrl },
    });
  }

  return {
    resolveChain,

    /** Closes idle keep-alive connections (at shutdown). */
    close(): void {
      transport.close();
    },

    async complete(request: LlmRequest, options: CompleteOptions = {}): Promise<LlmReply> {
      assertConfigured();
      const sdk = await loadOpenAI();
      const settings = config().config.llm;
      const { models } = resolveChain(request.route);
      const failures: { model: string; failure: Failure }[] = [];
      const billed: BilledAttempt[] = [];
      let attempts = 0;
      for (const [index, model] of models.entries()) {
        for (let retry = 0; retry <= settings.max_retries; retry += 1) {
          if (options.signal?.aborted) throw cancelled(billed);
          attempts += 1;
          const timeoutMs = settings.timeout_seconds * 1000;
          // One controller for the attempt, aborted by the caller's signal or the timeout (cheaper per call than
          // AbortSignal.any, which also keeps its sources referenced on Node 20).
          const attempt = new AbortController();
          let timedOut = false;
          const timer = setTimeout(() => {
            timedOut = true;
            attempt.abort(new Error('timeout'));
          }, timeoutMs);
          const onCancel = (): void => attempt.abort(options.signal?.reason);
          options.signal?.addEventListener('abort', onCancel, { once: true });
          const signal = attempt.signal;
          try {
            const reply = await callOnce(client(sdk), {
              model,
              messages: request.messages,
              tools: request.tools,
              maxOutputTokens: request.maxOutputTokens ?? settings.max_output_tokens,
              useMaxCompletionTokens: settings.provider === 'openai',
              stream: settings.stream,
              signal,
              timeoutMs,
            });
            billed.push({
              requestedModel: model,
              model: reply.model,
              usage: reply.usage,
              proxyCostHeader: reply.proxyCostHeader,
              usageCost: reply.usageCost,
            });
            return { ...reply, requestedModel: model, billed, attempts };
          } catch (error) {
            if (error instanceof UnusableReplyError) billed.push({ requestedModel: model, ...error.partial });
            const failure = classifyFailure(
              error,
              { cancelled: options.signal?.aborted === true, timedOut, timeoutMs },
              sdk,
            );
            if (failure.kind === 'cancelled') throw cancelled(billed);
            failures.push({ model, failure });
            if (failure.kind === 'fatal') throw finalError(failures, settings.base_url);
            if (failure.kind === 'next_model') break;
            const retryAfter = failure.retryAfterMs;
            if (
              retry === settings.max_retries ||
              (retryAfter !== undefined && retryAfter > RETRY_AFTER_CAP_MS)
            )
              break;
            const delayMs = retryAfter ?? backoffDelay(retry, random);
            options.onEvent?.({ type: 'retry', model, attempt: retry + 1, delayMs, reason: failure.reason });
            try {
              await sleep(delayMs, options.signal);
            } catch {
              throw cancelled(billed);
            }
          } finally {
            clearTimeout(timer);
            options.signal?.removeEventListener('abort', onCancel);
          }
        }
        const next = models[index + 1];
        if (next !== undefined) {
          options.onEvent?.({
            type: 'fallback',
            from: model,
            to: next,
            reason: failures.at(-1)?.failure.reason ?? '',
          });
        }
      }
      const error = finalError(failures, settings.base_url);
      throw Object.assign(error, { billed });
    },
  };
}

function cancelled(billed: BilledAttempt[]): AppError {
  const error = new AppError('CANCELLED', 'the model call was cancelled', { details: { retryable: false } });
  return Object.assign(error, { billed });
}

/** Attempts that were billed before the call failed (attached to the thrown error). */
export function billedOf(error: unknown): BilledAttempt[] {
  const billed = (error as { billed?: unknown } | null)?.billed;
  return Array.isArray(billed) ? (billed as BilledAttempt[]) : [];
}
