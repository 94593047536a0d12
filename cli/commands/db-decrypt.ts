import { decryptDatabaseTool } from '../../protocol/tools/data-tools.js';
import type { Command } from '../command.js';
import { printEncryptionOutcome } from '../encryption-format.js';
import { connectMaintenance, LONG_CALL_TIMEOUT_MS, progressPrinter } from '../maintenance.js';

const command: Command = {
  usage: 'az db decrypt [--json]',
  summary: 'Turn an encrypted database back into a plain SQLite file',
  flags: {},
  args: 0,
  details:
    'Needs the key and the server stopped. AZ_HOME/db.key is kept as db.key.retired-TIMESTAMP (backups made\n' +
    'while encrypted still need it). Memory documents written while encrypted stay encrypted in Chroma and\n' +
    'still read back (their key is in the database, which is now plain).',
  async run(context) {
    const client = await connectMaintenance(context);
    try {
      const result = await client.call(
        decryptDatabaseTool,
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
