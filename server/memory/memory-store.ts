/**
 * The memory store: memories as Chroma records (vector + text + metadata), one Chroma collection per memory
 * collection. Each collection records the embedder and dimension that made it (collection metadata
 * az_embedder, az_dimension); using it with another embedder is a CONFLICT that names `az memory reindex`,
 * never a silent comparison of unrelated vectors. Text and metadata pass through the DocumentCodec of
 * data protection (server/data-protection/memory/document-codec.ts) on their way to Chroma and back, so they
 * leave the process encrypted when the home's database is.
 */
import { randomUUID } from 'node:crypto';
import type { ChromaClient, Collection, Where } from 'chromadb';
import { AppError } from '../../protocol/errors.js';
import type {
  CollectionInfo,
  MemoryFilter,
  MemoryHit,
  MemoryMetadata,
} from '../../protocol/tools/memory-tools.js';
import type { ChromaConnection } from './chroma/chroma-connection.js';
import { loadChroma } from './chroma/chroma-sdk.js';
import type {
  DocumentCodec,
  MemoryRecord,
  Metadata,
  WhereFilter,
} from '../data-protection/memory/document-codec.js';
import type { Embedder } from './embedders/embedder.js';

export interface NewMemory {
  text: string;
  metadata?: MemoryMetadata | undefined;
  id?: string | undefined;
}

/** Metadata AZ-OS sets itself (az_ keys). */
export type SystemMetadata = Record<`az_${string}`, string | number | boolean>;

export interface MemoryStoreDeps {
  connection: ChromaConnection;
  embedder: () => Embedder;
  codec: DocumentCodec;
  now?: () => number;
}

const PAGE = 500;

/** Metadata as the tools return it: flat scalars (AZ-OS never stores lists or nulls). */
function scalars(metadata: Metadata): Record<string, string | number | boolean> {
  const result: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      result[key] = value;
  }
  return result;
}

export function toWhere(filter: MemoryFilter): WhereFilter {
  const clauses = Object.entries(filter).map(([key, value]) => ({ [key]: value }) as WhereFilter);
  return clauses.length === 1 ? (clauses[0] as WhereFilter) : { $and: clauses };
}

function describeCollection(collection: Collection): { embedder: string; dimension: number } | undefined {
  const metadata = collection.metadata ?? {};
  const embedder = metadata.az_embedder;
  const dimension = metadata.az_dimension;
  if (typeof embedder !== 'string' || typeof dimension !== 'number') return undefined;
  return {
    embedder,
    dimension,
  };
}

export type MemoryStore = ReturnType<typeof createMemoryStore>;

export function createMemoryStore({ connection, embedder, codec, now = Date.now }: MemoryStoreDeps) {
  async function find(client: ChromaClient, name: string): Promise<Collection | undefined> {
    try {
      return await client.getCollection({ name });
    } catch (error) {
      if (error instanceof (await loadChroma()).ChromaNotFoundError) return undefined;
      throw error;
    }
  }

  async function checked(collection: Collection, current: Embedder): Promise<void> {
    const recorded = describeCollection(collection);
    if (!recorded) {
      throw new AppError('CONFLICT', `collection ${collection.name} was not made by AZ-OS memory`, {
        hint: 'Use another collection name.',
      });
    }
    const dimension = await current.dimension();
    if (recorded.embedder !== current.id || recorded.dimension !== dimension) {
      throw new AppError(
        'CONFLICT',
        `collection ${collection.name} was embedded with ${recorded.embedder} (${recorded.dimension} dimensions); the configured embedder is ${current.id} (${dimension})`,
        {
          hint: `Run az memory reindex ${collection.name} to re-embed it, or set memory.embedder back.`,
          details: { collection: collection.name, recorded: recorded.embedder, configured: current.id },
        },
      );
    }
  }

  async function create(client: ChromaClient, name: string, current: Embedder): Promise<Collection> {
    return client.getOrCreateCollection({
      name,
      embeddingFunction: null,
      metadata: { az_embedder: current.id, az_dimension: await current.dimension() },
      configuration: { hnsw: { space: 'cosine' } },
    });
  }

  async function write(
    collection: Collection,
    items: readonly { id: string; text: string; metadata: Metadata }[],
    vectors: number[][],
  ): Promise<void> {
    const encoded = await Promise.all(
      items.map(item => codec.encode({ id: item.id, document: item.text, metadata: item.metadata })),
    );
    await collection.upsert({
      ids: items.map(item => item.id),
      embeddings: vectors,
      documents: encoded.map(record => record.document),
      metadatas: encoded.map(record => record.metadata),
    });
  }

  return {
    backend: connection.backend,

    async add(
      name: string,
      memories: readonly NewMemory[],
      system: SystemMetadata,
      signal?: AbortSignal,
    ): Promise<{ ids: string[]; embedder: string; embeddingMs: number }> {
      const current = embedder();
      const started = performance.now();
      const vectors = await current.embed(
        memories.map(memory => memory.text),
        signal,
      );
      const embeddingMs = performance.now() - started;
      const createdMs = now();
      const createdAt = new Date(createdMs).toISOString();
      const items = memories.map(memory => ({
        id: memory.id ?? randomUUID(),
        text: memory.text,
        metadata: {
          ...memory.metadata,
          az_created_at: createdAt,
          az_created_ms: createdMs,
          ...system,
        } as Metadata,
      }));
      await connection.run(async client => {
        const collection = await create(client, name, current);
        await checked(collection, current);
        await write(collection, items, vectors);
      });
      return { ids: items.map(item => item.id), embedder: current.id, embeddingMs };
    },

    async search(
      name: string,
      query: string,
      k: number,
      filter: MemoryFilter | undefined,
      signal?: AbortSignal,
    ): Promise<{ hits: MemoryHit[]; embedder: string; embeddingMs: number; searchMs: number }> {
      const current = embedder();
      const where = filter ? (codec.encodeWhere(toWhere(filter)) as Where) : undefined;
      return connection.run(async client => {
        const collection = await find(client, name);
        if (!collection) return { hits: [], embedder: current.id, embeddingMs: 0, searchMs: 0 };
        await checked(collection, current);
        const embedStarted = performance.now();
        const [vector] = await current.embed([query], signal);
        const embeddingMs = performance.now() - embedStarted;
        const searchStarted = performance.now();
        const result = await collection.query({
          queryEmbeddings: [vector as number[]],
          nResults: k,
          ...(where ? { where } : {}),
          include: ['documents', 'metadatas', 'distances'],
        });
        const searchMs = performance.now() - searchStarted;
        const rows = result.rows()[0] ?? [];
        const hits = rows.map(row => {
          const decoded = codec.decode({
            id: row.id,
            document: row.document ?? null,
            metadata: (row.metadata ?? null) as Metadata | null,
          });
          const distance = row.distance ?? 1;
          return {
            id: row.id,
            text: decoded.document,
            score: Math.round(Math.max(0, Math.min(1, 1 - distance)) * 10_000) / 10_000,
            metadata: scalars(decoded.metadata),
          };
        });
        return { hits, embedder: current.id, embeddingMs, searchMs };
      });
    },

    async delete(
      name: string,
      target: { ids?: string[] | undefined; where?: MemoryFilter | undefined },
    ): Promise<number> {
      const where = target.where ? (codec.encodeWhere(toWhere(target.where)) as Where) : undefined;
      return connection.run(async client => {
        const collection = await find(client, name);
        if (!collection) return 0;
        const before = await collection.count();
        await collection.delete({ ...(target.ids ? { ids: target.ids } : {}), ...(where ? { where } : {}) });
        return before - (await collection.count());
      });
    },

    async list(): Promise<CollectionInfo[]> {
      if (connection.empty()) return [];
      const current = embedder();
      const currentDimension = await current.dimension().catch(() => -1);
      return connection.run(async client => {
        const collections = await client.listCollections({ limit: 1000 });
        const infos: CollectionInfo[] = [];
        for (const collection of collections) {
          const recorded = describeCollection(collection);
          if (!recorded || collection.name.endsWith('.reindex')) continue; // not ours, or a reindex in progress
          infos.push({
            name: collection.name,
            count: await collection.count(),
            embedder: recorded.embedder,
            dimension: recorded.dimension,
            matches_configured: recorded.embedder === current.id && recorded.dimension === currentDimension,
          });
        }
        return infos.sort((a, b) => a.name.localeCompare(b.name));
      });
    },

    /** Names of the AZ-OS collections (for retention). */
    async collectionNames(): Promise<string[]> {
      if (connection.empty()) return [];
      return connection.run(async client =>
        (await client.listCollections({ limit: 1000 }))
          .filter(collection => describeCollection(collection) && !collection.name.endsWith('.reindex'))
          .map(collection => collection.name),
      );
    },

    /** Every memory's id and creation time, oldest first (paged; for retention). */
    async ages(name: string, signal?: AbortSignal): Promise<{ id: string; createdMs: number }[]> {
      return connection.run(async client => {
        const collection = await find(client, name);
        if (!collection) return [];
        const ages: { id: string; createdMs: number }[] = [];
        for (let offset = 0; ; offset += PAGE) {
          if (signal?.aborted) throw new AppError('CANCELLED', 'memory retention cancelled');
          const page = await collection.get({ limit: PAGE, offset, include: ['metadatas'] });
          for (const row of page.rows()) {
            const stored = (row.metadata ?? {}) as Metadata;
            const metadata =
              typeof stored.az_created_ms === 'number'
                ? stored
                : codec.decode({ id: row.id, document: null, metadata: stored }).metadata;
            const created =
              typeof metadata.az_created_ms === 'number'
                ? metadata.az_created_ms
                : Date.parse(String(metadata.az_created_at ?? ''));
            ages.push({ id: row.id, createdMs: Number.isFinite(created) ? created : 0 });
          }
          if (page.ids.length < PAGE) break;
        }
        return ages.sort((a, b) => a.createdMs - b.createdMs);
      });
    },

    async deleteIds(name: string, ids: readonly string[]): Promise<void> {
      if (ids.length === 0) return;
      await connection.run(async client => {
        const collection = await find(client, name);
        for (let start = 0; start < ids.length; start += PAGE) {
          await collection?.delete({ ids: ids.slice(start, start + PAGE) });
        }
      });
    },

    /**
     * Rewrites every record into `NAME.reindex`, then swaps it in: the old collection stays whole until the new
     * one is. Records pass through the codec on the way (decoded, encoded again), so memories written in clear
     * before the home was encrypted come out encrypted. Vectors are recomputed only when the collection was
     * embedded by another embedder than the configured one; otherwise the stored ones are reused.
     */
    async reindex(
      name: string,
      progress: (done: number, total: number) => void,
      signal?: AbortSignal,
    ): Promise<{ count: number; embedder: string; dimension: number; reembedded: boolean }> {
      const current = embedder();
      const dimension = await current.dimension();
      return connection.run(async client => {
        const source = await find(client, name);
        if (!source) throw new AppError('NOT_FOUND', `there is no memory collection ${name}`);
        const recorded = describeCollection(source);
        const reembed = recorded?.embedder !== current.id || recorded.dimension !== dimension;
        const total = await source.count();
        const temporary = `${name}.reindex`;
        await client.deleteCollection({ name: temporary }).catch(() => undefined);
        const target = await create(client, temporary, current);
        let done = 0;
        for (let offset = 0; offset < total; offset += PAGE) {
          if (signal?.aborted)
            throw new AppError('CANCELLED', `reindex of ${name} cancelled; ${name} is unchanged`);
          const page = await source.get({
            limit: PAGE,
            offset,
            include: reembed ? ['documents', 'metadatas'] : ['documents', 'metadatas', 'embeddings'],
          });
          const records = page.rows().map(row =>
            codec.decode({
              id: row.id,
              document: row.document ?? null,
              metadata: (row.metadata ?? null) as Metadata | null,
            }),
          );
          const vectors = reembed
            ? await current.embed(
                records.map(record => record.document),
                signal,
              )
            : page.embeddings;
          await write(
            target,
            page.ids.map((id, index) => ({
              id,
              text: (records[index] as MemoryRecord).document,
              metadata: (records[index] as MemoryRecord).metadata,
            })),
            vectors,
          );
          done += page.ids.length;
          progress(done, total);
        }
        await client.deleteCollection({ name });
        await target.modify({ name });
        // The old records' text stays in free pages of a local Chroma's file until it is compacted.
        connection.compactLater();
        return { count: done, embedder: current.id, dimension, reembedded: reembed };
      });
    },
  };
}
