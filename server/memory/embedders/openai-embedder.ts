/**
 * Embeddings from an OpenAI-compatible `/embeddings` endpoint (the LLM gateway: a LiteLLM proxy, OpenAI,
 * Ollama…), through the openai SDK. Independent of the chat gateway: it needs only a URL, a key and a model.
 */
import type OpenAI from 'openai';
import { AppError } from '../../../protocol/errors.js';
import { loadOpenAI } from '../../llm/openai-sdk.js';
import type { Embedder } from './embedder.js';

export interface OpenAiEmbedderOptions {
  baseURL: string;
  apiKey: string | null;
  model: string;
  timeoutMs: number;
}

const BATCH = 128;

export function createOpenAiEmbedder(options: OpenAiEmbedderOptions): Embedder {
  let client: OpenAI | undefined;
  let dimension: number | undefined;

  async function embedBatch(texts: readonly string[], signal?: AbortSignal): Promise<number[][]> {
    const sdk = await loadOpenAI();
    client ??= new sdk.OpenAI({
      baseURL: options.baseURL,
      // Security: a local gateway often needs no key; the SDK insists on one, so a placeholder is sent.
      apiKey: options.apiKey ?? 'no-key',
      timeout: options.timeoutMs,
      maxRetries: 2,
    });
    try {
      const response = await client.embeddings.create(
        { model: options.model, input: [...texts], encoding_format: 'float' },
        { signal },
      );
      const vectors = [...response.data].sort((a, b) => a.index - b.index).map(item => item.embedding);
      if (vectors.length !== texts.length || vectors.some(vector => !Array.isArray(vector))) {
        throw new AppError(
          'UNAVAILABLE',
          `${options.baseURL} returned ${vectors.length} embeddings for ${texts.length} texts`,
        );
      }
      return vectors;
    } catch (error) {
      if (error instanceof AppError) throw error;
      const status = error instanceof sdk.APIError ? error.status : undefined;
      const reason = error instanceof Error ? error.message : String(error);
      throw new AppError(
        'UNAVAILABLE',
        `embedding with ${options.model} at ${options.baseURL} failed${status ? ` (HTTP ${status})` : ''}: ${reason}`,
        {
          cause: error,
          hint:
            status === 401 || status === 403
              ? 'Check llm.api_key (or AZ_LLM_API_KEY).'
              : status === 404
                ? 'The endpoint has no /embeddings for this model: set memory.embedding_model, or memory.embedder builtin.'
                : 'Check memory.embedding_base_url (default llm.base_url) and that the gateway runs, or set memory.embedder builtin.',
        },
      );
    }
  }

  return {
    id: `openai:${options.model}`,
    async dimension() {
      if (dimension === undefined) await this.embed(['dimension probe']);
      return dimension as number;
    },
    async embed(texts, signal) {
      const vectors: number[][] = [];
      for (let start = 0; start < texts.length; start += BATCH) {
        vectors.push(...(await embedBatch(texts.slice(start, start + BATCH), signal)));
      }
      const first = vectors[0];
      if (first) {
        if (vectors.some(vector => vector.length !== first.length)) {
          throw new AppError('UNAVAILABLE', `${options.model} returned vectors of different lengths`);
        }
        dimension ??= first.length;
      }
      return vectors;
    },
  };
}
