import { resolve } from 'node:path';
import { rekeyDatabaseTool } from '../../protocol/tools/data-tools.js';
import type { Command } from '../command.js';
import { printEncryptionOutcome } from '../encryption-format.js';
import { connectMaintenance, LONG_CALL_TIMEOUT_MS, progressPrinter } from '../maintenance.js';

const command: Command = {
  usage: 'az db rekey [--new-key-file PATH] [--json]',
  summary: 'Rotate the database key (re-encrypt with a new one)',
  flags: {
    newKeyFile: { type: 'string', description: 'File holding the new key (mode 0600)' },
  },
  args: 0,
  details:
    'The new key: --new-key-file, else AZ_DB_NEW_KEY, else (when the current key is AZ_HOME/db.key) a new random\n' +
    'key written to db.key. The old key is kept as db.key.retired-TIMESTAMP for backups made with it. When the\n' +
    'key comes from AZ_DB_KEY or AZ_DB_KEY_FILE, update that setting to the new key afterwards.',
  async run(context) {
    const file = context.flags.newKeyFile as string | undefined;
    const client = await connectMaintenance(context);
    try {
      const result = await client.call(
        rekeyDatabaseTool,
        file === undefined ? {} : { new_key_file: resolve(file) },
        { signal: context.signal, timeoutMs: LONG_CALL_TIMEOUT_MS, onProgress: progressPrinter(context.out) },
      );
      if (context.globals.json) context.out.json(result);
      else {
        printEncryptionOutcome(context.out, result);
        if (!result.key_file_created) {
          context.out.note(
            `Now point ${result.key_source?.startsWith('AZ_DB_NEW_KEY') ? 'AZ_DB_KEY' : 'AZ_DB_KEY or AZ_DB_KEY_FILE'} at the new key: the old one no longer opens the database.`,
          );
        }
      }
    } finally {
      await client.close();
    }
  },
};
export default command;
