import { AppError } from '../../protocol/errors.js';
import type { Command } from '../command.js';
import { describeReindex, reindexCollections } from '../reindex-memory.js';

const command: Command = {
  usage: 'az memory reindex [COLLECTION | --all] [--json]',
  summary: 'Rewrite a collection: re-embed it with the configured embedder, encrypt what was stored in clear',
  flags: { all: { type: 'boolean', description: 'Every collection' } },
  args: [0, 1],
  details:
    'Vectors are recomputed only when another embedder made the collection (after changing memory.embedder).\n' +
    "Every memory is stored again through the home's encryption: after `az db encrypt` (which runs this for\n" +
    'every collection itself), memories written in clear before are encrypted.',
  async run({ connect, out, globals, input, flags, signal }) {
    if (flags.all === true && input.length > 0) {
      throw new AppError('INVALID_INPUT', 'give a collection name or --all, not both');
    }
    const client = await connect();
    const results = await reindexCollections(client, flags.all === true ? 'all' : [input[0]], out, signal);
    if (globals.json) out.json(flags.all === true ? { collections: results } : results[0]);
    else if (results.length === 0) out.note('No collections yet.');
    else for (const result of results) out.print(describeReindex(result));
  },
};
export default command;
