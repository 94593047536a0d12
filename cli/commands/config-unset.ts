import { unsetConfigTool } from '../../protocol/tools/system-tools.js';
import type { Command } from '../command.js';
import { formatValue } from '../config-format.js';

const command: Command = {
  usage: 'az config unset KEY [--json]',
  summary: 'Return a key to its default',
  flags: {},
  args: 1,
  async run({ connect, out, globals, input }) {
    const client = await connect();
    const result = await client.call(unsetConfigTool, { key: input[0] as string });
    if (globals.json) out.json(result);
    else out.print(`${result.entry.key} = ${formatValue(result.entry.value)} (${result.entry.source})`);
  },
};
export default command;
