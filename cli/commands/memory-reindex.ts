import { reindexMemoryTool } from '../../protocol/tools/memory-tools.js';
import type { Command } from '../command.js';

const command: Command = {
  usage: 'az memory reindex [COLLECTION]',
  summary: 'Re-embed a collection with the configured embedder',
  flags: {},
  args: [0, 1],
  async run({ connect, out, globals, input, signal }) {
    const client = await connect();
    const result = await client.call(
      reindexMemoryTool,
      { collection: input[0] },
      {
        signal,
        timeoutMs: 3_600_000,
        onProgress: ({ progress, total }) =>
          out.note(`re-embedded ${progress}${total ? ` of ${total}` : ''}`),
      },
    );
    if (globals.json) out.json(result);
    else
      out.print(
        `${result.collection}: ${result.count} memories re-embedded with ${result.embedder} in ${Math.round(result.took_ms)} ms`,
      );
  },
};
export default command;
