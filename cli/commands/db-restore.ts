import { resolve } from 'node:path';
import { restoreBackupTool } from '../../protocol/tools/data-tools.js';
import type { Command } from '../command.js';
import { connectMaintenance, formatBytes, LONG_CALL_TIMEOUT_MS, progressPrinter } from '../maintenance.js';

const command: Command = {
  usage: 'az db restore PATH [--force] [--json]',
  summary: 'Restore a backup made by az db backup (server stopped)',
  flags: {
    force: { type: 'boolean', description: 'Replace existing data (it is moved to AZ_HOME/pre-restore-*)' },
  },
  args: 1,
  details:
    'Every checksum and the database integrity are verified before anything in the home changes. Stop the\n' +
    'server first. An encrypted backup needs the key it was made with (AZ_DB_KEY, AZ_DB_KEY_FILE or\n' +
    'AZ_HOME/db.key). Without --force, a home that already holds data is left alone.',
  async run(context) {
    const path = resolve(context.input[0] as string);
    const client = await connectMaintenance(context);
    try {
      const result = await client.call(
        restoreBackupTool,
        { path, force: context.flags.force === true },
        { signal: context.signal, timeoutMs: LONG_CALL_TIMEOUT_MS, onProgress: progressPrinter(context.out) },
      );
      if (context.globals.json) {
        context.out.json(result);
        return;
      }
      context.out.print(`restored ${result.restored_from} (taken ${result.backup_created_at})`);
      context.out.print(
        `  ${result.files} files, ${formatBytes(result.bytes)}, schema v${result.schema_version}${result.encrypted ? ', encrypted' : ''}; checksums and integrity verified`,
      );
      if (result.moved_aside) context.out.print(`  the data it replaced is in ${result.moved_aside}`);
    } finally {
      await client.close();
    }
  },
};
export default command;
