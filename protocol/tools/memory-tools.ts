/**
 * Contracts of the memory tools: semantic memory in ChromaDB. A memory is a short text with metadata, found
 * again by meaning (search_memory), not by exact words. Keys starting with `az_` are set by AZ-OS: `az_source`
 * (user, agent, task), `az_created_at`, `az_created_ms`, `az_task_id` (and `az_workspace` on task summaries); they can be used
 * in filters but not set. `az memory ingest` stores `path`, `line_start`, `line_end` and `source: ingest`.
 */
import * as z from 'zod';
import { lazySchema } from '../lazy-schema.js';
import { READ_ONLY, defineTool } from '../tool-contract.js';

export const COLLECTION_NAME = /^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$/;

export const CollectionNameSchema = lazySchema(() =>
  z
    .string()
    .regex(
      COLLECTION_NAME,
      'must be 3-63 lower-case letters, digits, - and _, starting and ending with a letter or digit',
    )
    .describe('Collection name; the configured default (memories) when omitted'),
);

const MetadataValueSchema = lazySchema(() =>
  z.union([
    z.string().max(2000, 'metadata strings are at most 2000 characters'),
    z.number().finite(),
    z.boolean(),
  ]),
);

const MetadataKeySchema = lazySchema(() =>
  z
    .string()
    .regex(
      /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/,
      'metadata keys are 1-64 letters, digits, _ . - starting with a letter',
    ),
);

export const MemoryMetadataSchema = lazySchema(() =>
  z
    .record(MetadataKeySchema(), MetadataValueSchema())
    .refine(value => !Object.keys(value).some(key => key.startsWith('az_')), {
      message: 'keys starting with az_ are set by AZ-OS',
    })
    .refine(value => Object.keys(value).length <= 32, { message: 'at most 32 metadata keys' })
    .describe('Flat key → string, number or boolean'),
);
export type MemoryMetadata = z.infer<ReturnType<typeof MemoryMetadataSchema>>;

const OPERATORS = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin'] as const;

const OperatorFilterSchema = lazySchema(() =>
  z
    .strictObject({
      $eq: MetadataValueSchema().optional(),
      $ne: MetadataValueSchema().optional(),
      $gt: z.number().finite().optional(),
      $gte: z.number().finite().optional(),
      $lt: z.number().finite().optional(),
      $lte: z.number().finite().optional(),
      $in: z.array(MetadataValueSchema()).min(1).max(100).optional(),
      $nin: z.array(MetadataValueSchema()).min(1).max(100).optional(),
    })
    .refine(value => Object.keys(value).length === 1, {
      message: `use exactly one of ${OPERATORS.join(', ')}`,
    }),
);

export const MemoryFilterSchema = lazySchema(() =>
  z
    .record(MetadataKeySchema(), z.union([MetadataValueSchema(), OperatorFilterSchema()]))
    .refine(value => Object.keys(value).length >= 1 && Object.keys(value).length <= 8, {
      message: 'a filter has 1 to 8 keys (all must match)',
    })
    .describe('Metadata filter: {key: value} for equality or {key: {$gte: 3}}; all keys must match'),
);
export type MemoryFilter = z.infer<ReturnType<typeof MemoryFilterSchema>>;

export const MemoryIdSchema = lazySchema(() =>
  z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9._:/-]+$/, 'must be letters, digits and ._:/-'),
);

export const MEMORY_TEXT_MAX = 20_000;
const MemoryTextSchema = lazySchema(() =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(MEMORY_TEXT_MAX, `must be at most ${MEMORY_TEXT_MAX} characters`)
    .refine(value => value.trim().length > 0 && !value.includes('\u0000'), {
      message: 'must be text (not blank, no NUL)',
    }),
);

const MemoryItemSchema = lazySchema(() =>
  z.strictObject({
    text: MemoryTextSchema(),
    metadata: MemoryMetadataSchema().optional(),
    id: MemoryIdSchema().optional().describe('Replace the memory with this id (default: a new id)'),
  }),
);

export const addMemoryTool = defineTool({
  name: 'add_memory',
  title: 'Add memory',
  description:
    'Remember a fact, decision, preference or result for later tasks. Store one self-contained statement per ' +
    'memory (who/what/why), with optional metadata for filtering. Give `text` for one memory or `items` for up ' +
    'to 100. Passing an existing id replaces that memory.',
  input: () =>
    z
      .strictObject({
        text: MemoryTextSchema().optional().describe('The memory, in plain language'),
        metadata: MemoryMetadataSchema().optional(),
        id: MemoryIdSchema().optional().describe('Replace the memory with this id'),
        items: z.array(MemoryItemSchema()).min(1).max(100).optional().describe('Several memories at once'),
        collection: CollectionNameSchema().optional(),
      })
      .refine(value => (value.text === undefined) !== (value.items === undefined), {
        message: 'give either text or items',
      }),
  output: () =>
    z.object({
      collection: z.string(),
      ids: z.array(z.string()),
      embedder: z.string(),
      embedding_ms: z.number(),
    }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  profile: 'core',
  access: 'write',
});

export const MemoryHitSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    text: z.string(),
    score: z.number().describe('Similarity, 1 = same meaning, 0 = unrelated'),
    metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  }),
);
export type MemoryHit = z.infer<ReturnType<typeof MemoryHitSchema>>;

export const SEARCH_MEMORY_MAX_K = 50;

export const searchMemoryTool = defineTool({
  name: 'search_memory',
  title: 'Search memory',
  description:
    'Find memories by meaning: facts, decisions and results of earlier tasks that relate to the query even ' +
    `when worded differently. Returns the k most similar (default 5, max ${SEARCH_MEMORY_MAX_K}) with a score; ` +
    'narrow with a metadata filter. Use it before starting work that may have been done or decided before.',
  input: () =>
    z.strictObject({
      query: z.string().min(1).max(4000).describe('What you want to know, in plain language'),
      k: z.number().int().min(1).max(SEARCH_MEMORY_MAX_K).optional().describe('How many results (default 5)'),
      where: MemoryFilterSchema().optional(),
      collection: CollectionNameSchema().optional(),
    }),
  output: () =>
    z.object({
      collection: z.string(),
      embedder: z.string(),
      results: z.array(MemoryHitSchema()),
      embedding_ms: z.number(),
      search_ms: z.number(),
    }),
  annotations: READ_ONLY,
  profile: 'core',
  access: 'read',
});

export const deleteMemoryTool = defineTool({
  name: 'delete_memory',
  title: 'Delete memory',
  description:
    'Delete memories by id, or every memory matching a metadata filter (e.g. {"az_path": "/notes/a.md"}). ' +
    'Deleted memories cannot be recovered.',
  input: () =>
    z
      .strictObject({
        ids: z.array(MemoryIdSchema()).min(1).max(1000).optional(),
        where: MemoryFilterSchema().optional(),
        collection: CollectionNameSchema().optional(),
      })
      .refine(value => (value.ids === undefined) !== (value.where === undefined), {
        message: 'give either ids or where',
      }),
  output: () => z.object({ collection: z.string(), deleted: z.number().int() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  profile: 'full',
  access: 'write',
});

export const CollectionInfoSchema = lazySchema(() =>
  z.object({
    name: z.string(),
    count: z.number().int(),
    embedder: z.string().describe('The embedder that made its vectors'),
    dimension: z.number().int(),
    matches_configured: z.boolean().describe('false: run az memory reindex before searching it'),
  }),
);
export type CollectionInfo = z.infer<ReturnType<typeof CollectionInfoSchema>>;

export const CollectionsSchema = lazySchema(() =>
  z.object({
    backend: z.string().describe('local Chroma (started by AZ-OS) or the configured chroma_url'),
    configured_embedder: z.string(),
    default_collection: z.string(),
    collections: z.array(CollectionInfoSchema()),
  }),
);

export const listCollectionsTool = defineTool({
  name: 'list_collections',
  title: 'List memory collections',
  description: 'List memory collections with their size and the embedder that made them.',
  input: () => z.strictObject({}),
  output: () => CollectionsSchema(),
  annotations: READ_ONLY,
  profile: 'full',
  access: 'read',
});

export const reindexMemoryTool = defineTool({
  name: 'reindex_memory',
  title: 'Re-embed a memory collection',
  description:
    'Rewrite every memory of a collection: re-embedded with the configured embedder when another one made ' +
    "the collection (after changing memory.embedder), and stored through the home's encryption (after " +
    '`az db encrypt`, memories written in clear are encrypted). The old collection stays searchable until ' +
    'the new one is complete.',
  input: () => z.strictObject({ collection: CollectionNameSchema().optional() }),
  output: () =>
    z.object({
      collection: z.string(),
      count: z.number().int(),
      embedder: z.string(),
      dimension: z.number().int(),
      reembedded: z
        .boolean()
        .describe('false when the collection already matched the embedder and its vectors were reused'),
      took_ms: z.number(),
    }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  profile: 'full',
  access: 'write',
});
