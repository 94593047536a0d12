import { getConfigTool } from '../../protocol/tools/system-tools.js';
import type { Command } from '../command.js';
import { entriesTable } from '../config-format.js';

const command: Command = {
  usage: 'az config list [SECTION] [--json]',
  summary: 'Show every configuration key with its source',
  flags: {},
  args: [0, 1],
  details:
    'Secrets are shown as ******** when set. Environment overrides use AZ_ + the key in upper case (llm.base_url → AZ_LLM_BASE_URL).',
  async run({ connect, out, globals, input }) {
    const client = await connect();
    const { entries } = await client.call(getConfigTool, input[0] === undefined ? {} : { key: input[0] });
    if (globals.json) out.json({ entries });
    else out.print(entriesTable(entries, out.width));
  },
};
export default command;
