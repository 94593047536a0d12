import { SEARCH_MEMORY_MAX_K, searchMemoryTool } from '../../protocol/tools/memory-tools.js';
import type { Command } from '../command.js';
import { parsePairs } from '../memory-args.js';
import { clean, truncate } from '../output.js';

const command: Command = {
  usage: 'az memory search QUERY [--k N] [--where key=value]... [--collection C] [--json]',
  summary: 'Find memories by meaning',
  flags: {
    k: { type: 'number', description: `How many results (default 5, max ${SEARCH_MEMORY_MAX_K})` },
    where: { type: 'string', isMultiple: true, description: 'Only memories whose metadata key equals value' },
    collection: { type: 'string', description: 'Collection (default: memory.default_collection)' },
  },
  args: 1,
  async run({ connect, out, globals, input, flags }) {
    const client = await connect();
    const where = parsePairs((flags.where as string[] | undefined) ?? [], '--where');
    const result = await client.call(searchMemoryTool, {
      query: input[0] as string,
      k: flags.k as number | undefined,
      ...(Object.keys(where).length > 0 ? { where } : {}),
      collection: flags.collection as string | undefined,
    });
    if (globals.json) return out.json(result);
    if (result.results.length === 0) return out.note(`No memories in ${result.collection} yet.`);
    for (const hit of result.results) {
      out.print(
        `${hit.score.toFixed(3)}  ${clean(hit.id)}  ${truncate(clean(hit.text), Math.max(20, out.width - 60))}`,
      );
    }
    out.note(`embedding ${result.embedding_ms} ms, search ${result.search_ms} ms (${result.embedder})`);
  },
};
export default command;
