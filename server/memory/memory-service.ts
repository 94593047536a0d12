/**
 * The memory service: semantic memory (ChromaDB) as MCP tools, the azos://memory/collections resource, the
 * `memory` status component, and the task hooks (RAG before the first step, task summaries after completion).
 */
import { RESOURCE_URIS } from '../../protocol/resources.js';
import type { Core } from '../core.js';
import type { ToolDefinition } from '../mcp/tool-definition.js';
import type { Service } from '../services.js';
import type { DocumentCodec } from '../data-protection/memory/document-codec.js';
import { homeMemoryCodec } from '../data-protection/memory/home-memory-codec.js';
import { createMemoryRetention } from './memory-retention.js';
import { createMemoryHooks } from './memory-hooks.js';
import { createMemoryRuntime } from './memory-runtime.js';
import { addMemory } from './tools/add-memory.js';
import { deleteMemory } from './tools/delete-memory.js';
import { describeCollections, listCollections } from './tools/list-collections.js';
import { reindexMemory } from './tools/reindex-memory.js';
import { searchMemory } from './tools/search-memory.js';

export interface MemoryServiceOptions {
  /** The codec every memory passes through on its way to Chroma (default: the home's, see below). */
  codec?: (core: Core) => DocumentCodec;
}

/** Metadata that stays usable in filters when memory is encrypted. */
export const MEMORY_CLEAR_KEYS = ['az_created_ms', 'line_start', 'line_end'] as const;
export const MEMORY_INDEXED_KEYS = ['az_source', 'az_task_id', 'az_workspace', 'path', 'source'] as const;

/**
 * Encrypting when the home's database is encrypted (data protection keeps the key), identity otherwise.
 * Timestamps and line numbers stay in clear (range filters, retention); the keys AZ-OS filters on are keyed
 * hashes (equality filters only); every other metadata key is encrypted and cannot be filtered on.
 */
export function defaultMemoryCodec(core: Core): DocumentCodec {
  return homeMemoryCodec({
    db: core.db,
    databaseEncrypted: core.encryption.encrypted,
    clearKeys: MEMORY_CLEAR_KEYS,
    indexedKeys: MEMORY_INDEXED_KEYS,
  });
}

export function createMemoryService(options: MemoryServiceOptions = {}): Service {
  return ({ core, addTools, addInstanceSetup }) => {
    const memory = createMemoryRuntime(core, (options.codec ?? defaultMemoryCodec)(core));
    addTools([
      addMemory(memory),
      searchMemory(memory),
      deleteMemory(memory),
      listCollections(memory),
      reindexMemory(memory),
    ] as unknown as readonly ToolDefinition[]);
    addInstanceSetup(server => {
      server.registerResource(
        'memory-collections',
        RESOURCE_URIS.memoryCollections,
        {
          title: 'Memory collections',
          description: 'Memory collections with their size and embedder (also: list_collections)',
          mimeType: 'application/json',
        },
        async uri => ({
          contents: [
            {
              uri: uri.href,
              mimeType: 'application/json',
              text: JSON.stringify(await describeCollections(memory)),
            },
          ],
        }),
      );
    });
    core.statusProviders.set('memory', () => memory.status());
    core.taskHooks.push(createMemoryHooks(core, memory));
    core.retentionTargets.set('memories', createMemoryRetention(core, memory));
    core.onClose(() => memory.close());
  };
}
