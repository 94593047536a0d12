import { getConfigTool } from '../../protocol/tools/system-tools.js';
import type { Command } from '../command.js';
import { entriesTable, formatValue } from '../config-format.js';

const command: Command = {
  usage: 'az config get KEY [--json]',
  summary: 'Show one key or section of the configuration',
  flags: {},
  args: 1,
  async run({ connect, out, globals, input }) {
    const client = await connect();
    const key = input[0] as string;
    const { entries } = await client.call(getConfigTool, { key });
    if (globals.json) {
      out.json(entries.length === 1 && entries[0]?.key === key ? entries[0] : { entries });
      return;
    }
    if (entries.length === 1 && entries[0]?.key === key) out.print(formatValue(entries[0].value));
    else out.print(entriesTable(entries, out.width));
  },
};
export default command;
