import { RESOURCE_URIS } from '../../../protocol/resources.js';
import { reindexMemoryTool } from '../../../protocol/tools/memory-tools.js';
import { implementTool } from '../../mcp/tool-definition.js';
import type { MemoryRuntime } from '../memory-runtime.js';
import { round } from './add-memory.js';

export const reindexMemory = (memory: MemoryRuntime) =>
  implementTool(reindexMemoryTool, async (args, { core, progress, signal }) => {
    const collection = memory.collection(args.collection);
    const started = performance.now();
    const result = await memory
      .store()
      .reindex(
        collection,
        (done, total) => void progress(done, total, `re-embedded ${done} of ${total}`),
        signal,
      );
    core.feed.publishAggregate(RESOURCE_URIS.memoryCollections);
    return { collection, ...result, took_ms: round(performance.now() - started) };
  });
