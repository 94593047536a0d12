import { AppError } from '../../protocol/errors.js';
import { removeMcpServerTool } from '../../protocol/tools/mcp-server-tools.js';
import type { Command } from '../command.js';

const command: Command = {
  usage: 'az mcp remove NAME [--json]',
  summary: 'Remove an external MCP server',
  flags: {},
  args: 1,
  async run({ connect, out, globals, input }) {
    const client = await connect();
    const name = input[0] as string;
    const { removed } = await client.call(removeMcpServerTool, { name });
    if (!removed) {
      throw new AppError('NOT_FOUND', `no MCP server named ${name}`, {
        hint: 'See the names with `az mcp list`.',
      });
    }
    if (globals.json) out.json({ removed });
    else out.print(`removed ${name}`);
  },
};
export default command;
