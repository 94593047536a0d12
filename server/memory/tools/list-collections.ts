import { listCollectionsTool } from '../../../protocol/tools/memory-tools.js';
import { implementTool } from '../../mcp/tool-definition.js';
import type { MemoryRuntime } from '../memory-runtime.js';

export async function describeCollections(memory: MemoryRuntime) {
  const store = memory.store();
  return {
    backend: store.backend,
    configured_embedder: memory.embedder().id,
    default_collection: memory.collection(undefined),
    collections: await store.list(),
  };
}

export const listCollections = (memory: MemoryRuntime) =>
  implementTool(listCollectionsTool, () => describeCollections(memory));
