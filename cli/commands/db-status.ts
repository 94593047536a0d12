import { getDatabaseStatusTool } from '../../protocol/tools/system-tools.js';
import type { Command } from '../command.js';

const command: Command = {
  usage: 'az db status [--json]',
  summary: 'Show the database: path, size, schema version, integrity',
  flags: {},
  args: 0,
  async run({ connect, out, globals }) {
    const client = await connect();
    const status = await client.call(getDatabaseStatusTool, {});
    if (globals.json) {
      out.json(status);
      return;
    }
    out.print(`home        ${status.home} (profile ${status.profile})`);
    out.print(`database    ${status.path} (${status.size_bytes} bytes, journal ${status.journal_mode})`);
    out.print(
      `schema      v${status.schema_version} of v${status.latest_version}${status.pending.length > 0 ? `, ${status.pending.length} pending (az db migrate)` : ''}`,
    );
    out.print(`integrity   ${status.integrity}`);
    out.print(
      `encryption  ${status.encryption.encrypted ? `encrypted (${status.encryption.cipher}), key from ${status.encryption.key_source}` : 'not encrypted (az db encrypt)'}`,
    );
    out.print(
      `token file  ${status.token_file.path} (mode ${status.token_file.mode}${status.token_file.ok ? '' : ' — too open: chmod 600 it'})`,
    );
  },
};
export default command;
