/**
 * The embedder port: text in, vectors out. Memory records which embedder (its `id`) and dimension made each
 * collection, so vectors from different embedders are never compared. Implementations: `builtin` (offline,
 * no download), `openai` (an OpenAI-compatible /embeddings endpoint) and `local` (a sentence model on disk).
 */
export interface Embedder {
  /** Stable name recorded per collection, e.g. `builtin:wordnet-hash-v1` or `openai:text-embedding-3-small`. */
  readonly id: string;
  /** Vector length; a remote model's is learnt from its first answer. */
  dimension(): Promise<number>;
  /** One vector per text, in order. Throws AppError (UNAVAILABLE, INVALID_INPUT) on failure. */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<number[][]>;
}

export function normalize(vector: Float64Array | number[]): number[] {
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm) || 1;
  return Array.from(vector, value => value / norm);
}
