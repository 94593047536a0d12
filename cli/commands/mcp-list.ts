import { listMcpServersTool } from '../../protocol/tools/mcp-server-tools.js';
import type { Command } from '../command.js';
import { table } from '../output.js';

const command: Command = {
  usage: 'az mcp list [--json]',
  summary: 'List the external MCP servers the agent connects to',
  flags: {},
  args: 0,
  async run({ connect, out, globals }) {
    const client = await connect();
    const { servers } = await client.call(listMcpServersTool, {});
    if (globals.json) {
      out.json({ servers });
      return;
    }
    if (servers.length === 0) {
      out.note('No MCP servers. Add one with: az mcp add NAME -- COMMAND ARGS…');
      return;
    }
    out.print(
      table(
        servers,
        [
          { header: 'NAME', value: server => server.name },
          { header: 'TRANSPORT', value: server => server.transport },
          {
            header: 'TARGET',
            value: server =>
              server.transport === 'http'
                ? (server.url ?? '')
                : [server.command, ...(server.args ?? [])].join(' '),
            flexible: true,
          },
          {
            header: 'SECRETS',
            value: server => [...(server.env_keys ?? []), ...(server.header_names ?? [])].join(', ') || '-',
          },
        ],
        out.width,
      ),
    );
  },
};
export default command;
