/**
 * The seam between the memory service and Chroma: every document and its metadata pass through a codec on
 * the way out (add, upsert, update) and on the way back (get, query), and every metadata filter is translated
 * by it. The identity codec changes nothing; the encrypting codec (encrypting-codec.ts) keeps document text and
 * metadata encrypted in Chroma. Embeddings are never touched: Chroma needs them in clear to search.
 */

/** A metadata value as Chroma stores it. */
export type MetadataValue = string | number | boolean | null | string[] | number[] | boolean[];
export type Metadata = Record<string, MetadataValue>;

/** One record in a collection, as the memory service sees it. */
export interface MemoryRecord {
  id: string;
  document: string;
  metadata: Metadata;
}

type Literal = string | number | boolean;
type OperatorExpression =
  | { $gt: Literal }
  | { $gte: Literal }
  | { $lt: Literal }
  | { $lte: Literal }
  | { $ne: Literal }
  | { $eq: Literal }
  | { $in: Literal[] }
  | { $nin: Literal[] }
  | { $contains: Literal }
  | { $not_contains: Literal };
/** Chroma's metadata filter, written out so this module needs no chromadb import (assignable to its `Where`). */
export type WhereFilter =
  { [key: string]: Literal | OperatorExpression } | { $and: WhereFilter[] } | { $or: WhereFilter[] };

export interface DocumentCodec {
  /** True when documents leave the process encrypted. */
  readonly encrypting: boolean;
  /** Before a record is sent to Chroma. The id is bound into the ciphertext, so records cannot be swapped. */
  encode(record: MemoryRecord): { document: string; metadata: Metadata };
  /** After a record came back from Chroma (plain records written before encryption pass through). */
  decode(record: { id: string; document: string | null; metadata: Metadata | null }): MemoryRecord;
  /** Rewrites a metadata filter so it matches encoded metadata; throws INVALID_INPUT for filters that cannot. */
  encodeWhere(where: WhereFilter): WhereFilter;
  /** Full-text filters on documents cannot work on ciphertext; the codec says so (INVALID_INPUT) or passes. */
  assertDocumentFilterAllowed(): void;
}

export const identityCodec: DocumentCodec = {
  encrypting: false,
  encode: ({ document, metadata }) => ({ document, metadata }),
  decode: ({ id, document, metadata }) => ({ id, document: document ?? '', metadata: metadata ?? {} }),
  encodeWhere: where => where,
  assertDocumentFilterAllowed: () => undefined,
};
