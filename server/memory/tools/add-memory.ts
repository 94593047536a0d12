import { RESOURCE_URIS } from '../../../protocol/resources.js';
import { addMemoryTool } from '../../../protocol/tools/memory-tools.js';
import { implementTool } from '../../mcp/tool-definition.js';
import type { MemoryRuntime } from '../memory-runtime.js';
import type { SystemMetadata } from '../memory-store.js';

export const addMemory = (memory: MemoryRuntime) =>
  implementTool(addMemoryTool, async (args, { core, scope, signal }) => {
    const collection = memory.collection(args.collection);
    const items = args.items ?? [{ text: args.text as string, metadata: args.metadata, id: args.id }];
    const system: SystemMetadata = scope
      ? { az_source: 'agent', az_task_id: scope.taskId }
      : { az_source: 'user' };
    const added = await memory.store().add(collection, items, system, signal);
    core.feed.publishAggregate(RESOURCE_URIS.memoryCollections);
    return { collection, ids: added.ids, embedder: added.embedder, embedding_ms: round(added.embeddingMs) };
  });

export const round = (ms: number): number => Math.round(ms * 100) / 100;
