import { revokeTokenTool } from '../../protocol/tools/token-tools.js';
import type { Command } from '../command.js';

const command: Command = {
  usage: 'az token revoke NAME|ID [--json]',
  summary: 'Revoke an HTTP token (it stops working at its next request)',
  flags: {},
  args: 1,
  async run({ connect, out, globals, input }) {
    const client = await connect();
    const result = await client.call(revokeTokenTool, { token: input[0] as string });
    if (globals.json) out.json(result);
    else out.print(`${result.info.name} ${result.already_revoked ? 'was already revoked' : 'revoked'}`);
  },
};
export default command;
