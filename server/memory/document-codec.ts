/**
 * The DocumentCodec seam: every memory's text and metadata pass through a codec on their way to Chroma and back,
 * so they can be encrypted before they leave the process (data protection, issue 7) without changing the
 * memory store. The default is the identity.
 *
 * How to plug one in: give `createMemoryService({ codec })` in server/services.ts a factory returning a
 * DocumentCodec. Its `id` is recorded on each collection (`az_codec`); a collection written with another
 * codec is refused with a clear error rather than returned as ciphertext.
 *
 * What an encrypting codec must know:
 *  - `encode` / `decode` see the whole record; `decode(encode(r))` must equal `r`.
 *  - Metadata filters run inside Chroma, on stored values. `encodeFilter` turns a filter on plain values into
 *    one on stored values (e.g. deterministic encryption of equality values), or throws
 *    AppError('INVALID_INPUT') for filters it cannot support (range filters on encrypted values).
 *  - AZ-OS filters on `az_source`, `az_task_id` and `path` (task summaries, re-ingesting a file): keep them
 *    filterable. Chroma's full-text `whereDocument` is not used, so documents may be opaque ciphertext.
 *  - Embedding vectors are computed from the plain text and stored as they are: they are not encrypted and
 *    reveal something about the text (similar texts have similar vectors).
 */
import type { MemoryFilter } from '../../protocol/tools/memory-tools.js';

export type StoredMetadata = Record<string, string | number | boolean>;

export interface CodecRecord {
  document: string;
  metadata: StoredMetadata;
}

export interface DocumentCodec {
  /** Recorded per collection; change it when stored data would no longer decode. */
  readonly id: string;
  encode(record: CodecRecord): CodecRecord | Promise<CodecRecord>;
  decode(record: CodecRecord): CodecRecord | Promise<CodecRecord>;
  encodeFilter(filter: MemoryFilter): MemoryFilter | Promise<MemoryFilter>;
}

export const IDENTITY_CODEC: DocumentCodec = {
  id: 'identity',
  encode: record => record,
  decode: record => record,
  encodeFilter: filter => filter,
};
