import { searchMemoryTool } from '../../../protocol/tools/memory-tools.js';
import { implementTool } from '../../mcp/tool-definition.js';
import type { MemoryRuntime } from '../memory-runtime.js';
import { round } from './add-memory.js';

export const searchMemory = (memory: MemoryRuntime) =>
  implementTool(searchMemoryTool, async (args, { signal }) => {
    const collection = memory.collection(args.collection);
    const found = await memory.store().search(collection, args.query, args.k ?? 5, args.where, signal);
    return {
      collection,
      embedder: found.embedder,
      results: found.hits,
      embedding_ms: round(found.embeddingMs),
      search_ms: round(found.searchMs),
    };
  });
