/**
 * The memory service: semantic memory (ChromaDB) as MCP tools, the azos://memory/collections resource, the
 * `memory` status component, and the task hooks (RAG before the first step, task summaries after completion).
 */
import { RESOURCE_URIS } from '../../protocol/resources.js';
import type { Core } from '../core.js';
import type { ToolDefinition } from '../mcp/tool-definition.js';
import type { Service } from '../services.js';
import { IDENTITY_CODEC, type DocumentCodec } from './document-codec.js';
import { createMemoryHooks } from './memory-hooks.js';
import { createMemoryRuntime } from './memory-runtime.js';
import { addMemory } from './tools/add-memory.js';
import { deleteMemory } from './tools/delete-memory.js';
import { describeCollections, listCollections } from './tools/list-collections.js';
import { reindexMemory } from './tools/reindex-memory.js';
import { searchMemory } from './tools/search-memory.js';

export interface MemoryServiceOptions {
  /** The codec every memory passes through on its way to Chroma (the seam for encryption, issue 7). */
  codec?: (core: Core) => DocumentCodec;
}

export function createMemoryService(options: MemoryServiceOptions = {}): Service {
  return ({ core, addTools, addInstanceSetup }) => {
    const memory = createMemoryRuntime(core, options.codec?.(core) ?? IDENTITY_CODEC);
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
    core.onClose(() => memory.close());
  };
}
