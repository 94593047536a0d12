import { listTokensTool } from '../../protocol/tools/token-tools.js';
import type { Command } from '../command.js';
import { table } from '../output.js';

const command: Command = {
  usage: 'az token list [--all] [--json]',
  summary: 'List HTTP tokens (never the tokens themselves)',
  flags: { all: { type: 'boolean', description: 'Include revoked tokens' } },
  args: 0,
  async run({ connect, out, globals, flags }) {
    const client = await connect();
    const { tokens } = await client.call(listTokensTool, { include_revoked: flags.all === true });
    if (globals.json) {
      out.json({ tokens });
      return;
    }
    if (tokens.length === 0) {
      out.note(
        'No tokens besides the admin token file. Create one with: az token create --name NAME --role viewer',
      );
      return;
    }
    out.print(
      table(
        tokens,
        [
          { header: 'NAME', value: token => token.name },
          { header: 'ROLE', value: token => token.role },
          { header: 'PREFIX', value: token => `${token.prefix}…` },
          { header: 'CREATED', value: token => token.created_at.slice(0, 19).replace('T', ' ') },
          { header: 'LAST USED', value: token => token.last_used_at?.slice(0, 19).replace('T', ' ') ?? '-' },
          { header: 'REVOKED', value: token => token.revoked_at?.slice(0, 19).replace('T', ' ') ?? '-' },
        ],
        out.width,
      ),
    );
  },
};
export default command;
