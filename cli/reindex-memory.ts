/**
 * Rewriting memory collections through reindex_memory: one named collection, or every collection (after
 * `az db encrypt`, this is what encrypts the memories written in clear before).
 */
import type { ToolCaller } from '../protocol/tool-result.js';
import type { ToolOutput } from '../protocol/tool-contract.js';
import { listCollectionsTool, reindexMemoryTool } from '../protocol/tools/memory-tools.js';
import type { Output } from './command.js';

export type ReindexResult = ToolOutput<typeof reindexMemoryTool>;

export async function reindexCollections(
  client: ToolCaller,
  collections: readonly (string | undefined)[] | 'all',
  out: Output,
  signal: AbortSignal,
): Promise<ReindexResult[]> {
  const names =
    collections === 'all'
      ? (await client.call(listCollectionsTool, {}, { signal })).collections.map(found => found.name)
      : collections;
  const results: ReindexResult[] = [];
  for (const collection of names) {
    results.push(
      await client.call(
        reindexMemoryTool,
        { collection },
        {
          signal,
          timeoutMs: 3_600_000,
          onProgress: ({ progress, total }) =>
            out.note(`${collection ?? 'memories'}: ${progress}${total ? ` of ${total}` : ''}`),
        },
      ),
    );
  }
  return results;
}

export function describeReindex(result: ReindexResult): string {
  const how = result.reembedded ? `re-embedded with ${result.embedder}` : 'rewritten (vectors kept)';
  return `${result.collection}: ${result.count} memories ${how} in ${Math.round(result.took_ms)} ms`;
}
