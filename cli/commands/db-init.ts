import { existsSync } from 'node:fs';
import { getDatabaseStatusTool } from '../../protocol/tools/system-tools.js';
import type { Command } from '../command.js';

const command: Command = {
  usage: 'az db init [--json]',
  summary: 'Create AZ_HOME, config, database and token (idempotent)',
  flags: {},
  args: 0,
  details:
    'Running it again creates nothing new and reports what is there. The token file (mode 0600) holds the admin token for HTTP clients.',
  async run({ connect, out, globals, paths }) {
    const before = [paths.home, paths.configFile, paths.database, paths.tokenFile].filter(
      path => !existsSync(path),
    );
    const client = await connect();
    const status = await client.call(getDatabaseStatusTool, {});
    const created = before.filter(path => existsSync(path));
    if (globals.json) {
      out.json({
        home: status.home,
        profile: status.profile,
        created,
        already_initialized: created.length === 0,
        database: status,
      });
      return;
    }
    out.print(created.length === 0 ? `already initialized: ${status.home}` : `initialized ${status.home}`);
    for (const path of created) out.print(`  created ${path}`);
    out.print(`  database  ${status.path} (schema v${status.schema_version})`);
    out.print(`  token     ${status.token_file.path} (mode ${status.token_file.mode})`);
  },
};
export default command;
