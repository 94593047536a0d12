import { AppError } from '../../protocol/errors.js';
import { deleteMemoryTool } from '../../protocol/tools/memory-tools.js';
import type { Command } from '../command.js';
import { parsePairs } from '../memory-args.js';

const command: Command = {
  usage: 'az memory delete ID... | --where key=value [--collection C]',
  summary: 'Delete memories by id or metadata',
  flags: {
    where: { type: 'string', isMultiple: true, description: 'Delete every memory whose key equals value' },
    collection: { type: 'string', description: 'Collection (default: memory.default_collection)' },
  },
  args: [0, 1000],
  async run({ connect, out, globals, input, flags }) {
    const where = parsePairs((flags.where as string[] | undefined) ?? [], '--where');
    const byFilter = Object.keys(where).length > 0;
    if (byFilter === input.length > 0)
      throw new AppError('INVALID_INPUT', 'give memory ids or --where, not both');
    const client = await connect();
    const result = await client.call(deleteMemoryTool, {
      ...(byFilter ? { where } : { ids: input }),
      collection: flags.collection as string | undefined,
    });
    if (globals.json) out.json(result);
    else out.print(`deleted ${result.deleted} from ${result.collection}`);
  },
};
export default command;
