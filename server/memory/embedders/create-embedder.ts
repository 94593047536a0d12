/** Picks the embedder the configuration names. */
import type { Config } from '../../config/schema.js';
import { createBuiltinEmbedder } from './builtin/builtin-embedder.js';
import type { Embedder } from './embedder.js';
import { createLocalModelEmbedder } from './local-model-embedder.js';
import { createOpenAiEmbedder } from './openai-embedder.js';

export function createEmbedder(config: Config, home: string): Embedder {
  const memory = config.memory;
  switch (memory.embedder) {
    case 'openai':
      return createOpenAiEmbedder({
        baseURL: memory.embedding_base_url ?? config.llm.base_url,
        apiKey: config.llm.api_key,
        model: memory.embedding_model,
        timeoutMs: config.llm.timeout_seconds * 1000,
      });
    case 'local':
      return createLocalModelEmbedder({ home, model: memory.local_model });
    case 'builtin':
      return createBuiltinEmbedder();
  }
}

/** A key that changes when the configured embedder would change. */
export function embedderKey(config: Config): string {
  const memory = config.memory;
  return JSON.stringify([
    memory.embedder,
    memory.embedding_model,
    memory.embedding_base_url ?? config.llm.base_url,
    config.llm.api_key ?? '',
    memory.local_model,
  ]);
}
