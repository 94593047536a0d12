import { RESOURCE_URIS } from '../../../protocol/resources.js';
import { deleteMemoryTool } from '../../../protocol/tools/memory-tools.js';
import { implementTool } from '../../mcp/tool-definition.js';
import type { MemoryRuntime } from '../memory-runtime.js';

export const deleteMemory = (memory: MemoryRuntime) =>
  implementTool(deleteMemoryTool, async (args, { core }) => {
    const collection = memory.collection(args.collection);
    const deleted = await memory.store().delete(collection, { ids: args.ids, where: args.where });
    if (deleted > 0) core.feed.publishAggregate(RESOURCE_URIS.memoryCollections);
    return { collection, deleted };
  });
