import { existsSync } from 'node:fs';
import { encryptDatabaseTool } from '../../protocol/tools/data-tools.js';
import { getDatabaseStatusTool } from '../../protocol/tools/system-tools.js';
import type { Command } from '../command.js';
import { printEncryptionOutcome } from '../encryption-format.js';
import { connectMaintenance, LONG_CALL_TIMEOUT_MS, progressPrinter } from '../maintenance.js';

const command: Command = {
  usage: 'az db init [--encrypt] [--json]',
  summary: 'Create AZ_HOME, config, database and token (idempotent)',
  flags: {
    encrypt: {
      type: 'boolean',
      description: 'Encrypt the database (key from AZ_DB_KEY / AZ_DB_KEY_FILE, or a new AZ_HOME/db.key)',
    },
  },
  args: 0,
  details:
    'Running it again creates nothing new and reports what is there. The token file (mode 0600) holds the admin token for HTTP clients.\n' +
    'With --encrypt an existing plain database is encrypted as by `az db encrypt` (the server must be stopped).',
  async run(context) {
    const { connect, out, globals, paths } = context;
    const before = [paths.home, paths.configFile, paths.database, paths.tokenFile].filter(
      path => !existsSync(path),
    );
    let encryption;
    if (context.flags.encrypt === true) {
      const maintenance = await connectMaintenance(context);
      try {
        encryption = await maintenance.call(
          encryptDatabaseTool,
          {},
          { signal: context.signal, timeoutMs: LONG_CALL_TIMEOUT_MS, onProgress: progressPrinter(out) },
        );
      } finally {
        await maintenance.close();
      }
    }
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
        ...(encryption ? { encryption } : {}),
      });
      return;
    }
    out.print(created.length === 0 ? `already initialized: ${status.home}` : `initialized ${status.home}`);
    for (const path of created) out.print(`  created ${path}`);
    out.print(`  database  ${status.path} (schema v${status.schema_version})`);
    out.print(`  token     ${status.token_file.path} (mode ${status.token_file.mode})`);
    if (encryption) printEncryptionOutcome(out, encryption);
  },
};
export default command;
