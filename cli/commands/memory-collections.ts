import { listCollectionsTool } from '../../protocol/tools/memory-tools.js';
import type { Command } from '../command.js';
import { table } from '../output.js';

const command: Command = {
  usage: 'az memory collections [--json]',
  summary: 'List memory collections and their embedders',
  flags: {},
  args: 0,
  async run({ connect, out, globals }) {
    const client = await connect();
    const result = await client.call(listCollectionsTool, {});
    if (globals.json) return out.json(result);
    out.note(`Chroma: ${result.backend}; configured embedder ${result.configured_embedder}`);
    if (result.collections.length === 0)
      return out.note('No collections yet. Add one with: az memory add "TEXT"');
    out.print(
      table(result.collections, [
        { header: 'NAME', value: row => row.name },
        { header: 'MEMORIES', value: row => String(row.count), align: 'right' },
        { header: 'EMBEDDER', value: row => `${row.embedder} (${row.dimension})` },
        { header: 'STATE', value: row => (row.matches_configured ? 'ok' : 'needs az memory reindex') },
      ]),
    );
  },
};
export default command;
