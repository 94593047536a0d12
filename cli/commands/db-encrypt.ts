import { encryptDatabaseTool } from '../../protocol/tools/data-tools.js';
import type { Command } from '../command.js';
import { printEncryptionOutcome } from '../encryption-format.js';
import { connectMaintenance, LONG_CALL_TIMEOUT_MS, progressPrinter } from '../maintenance.js';

const command: Command = {
  usage: 'az db encrypt [--json]',
  summary: 'Encrypt the database at rest (SQLCipher 4)',
  flags: {},
  args: 0,
  details:
    'The key comes from AZ_DB_KEY, AZ_DB_KEY_FILE (a file with mode 0600) or AZ_HOME/db.key; when none is set,\n' +
    'a random 256-bit key is written to AZ_HOME/db.key. Never from config.json. The server must be stopped.\n' +
    'The database is encrypted into a copy, verified, then swapped in atomically: the original is never\n' +
    'changed in place, so a failure or Ctrl-C leaves it as it was.',
  async run(context) {
    const client = await connectMaintenance(context);
    try {
      const result = await client.call(
        encryptDatabaseTool,
        {},
        { signal: context.signal, timeoutMs: LONG_CALL_TIMEOUT_MS, onProgress: progressPrinter(context.out) },
      );
      if (context.globals.json) context.out.json(result);
      else printEncryptionOutcome(context.out, result);
    } finally {
      await client.close();
    }
  },
};
export default command;
