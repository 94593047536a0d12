import { addMemoryTool } from '../../protocol/tools/memory-tools.js';
import type { Command } from '../command.js';
import { parsePairs } from '../memory-args.js';

const command: Command = {
  usage: 'az memory add TEXT [--collection C] [--meta key=value]... [--id ID]',
  summary: 'Remember a piece of text',
  flags: {
    collection: { type: 'string', description: 'Collection (default: memory.default_collection)' },
    meta: { type: 'string', isMultiple: true, description: 'Metadata key=value (repeatable)' },
    id: { type: 'string', description: 'Replace the memory with this id' },
  },
  args: 1,
  async run({ connect, out, globals, input, flags }) {
    const client = await connect();
    const metadata = parsePairs((flags.meta as string[] | undefined) ?? [], '--meta');
    const result = await client.call(addMemoryTool, {
      text: input[0] as string,
      ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
      id: flags.id as string | undefined,
      collection: flags.collection as string | undefined,
    });
    if (globals.json) out.json(result);
    else out.print(result.ids.join('\n'));
  },
};
export default command;
