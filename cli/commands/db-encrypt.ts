import { encryptDatabaseTool } from '../../protocol/tools/data-tools.js';
import { isAppError } from '../../protocol/errors.js';
import type { Command, CommandContext } from '../command.js';
import { printEncryptionOutcome } from '../encryption-format.js';
import { connectMaintenance, LONG_CALL_TIMEOUT_MS, progressPrinter } from '../maintenance.js';
import { describeReindex, reindexCollections, type ReindexResult } from '../reindex-memory.js';

/**
 * Memories written before the database was encrypted are still plain text in Chroma: rewrite every
 * collection through the (now encrypting) memory codec. Chroma being unreachable is not a failure of the
 * encryption; the user is told what to run later.
 */
async function encryptMemories(context: CommandContext): Promise<ReindexResult[] | { error: string }> {
  try {
    const client = await context.connect();
    try {
      return await reindexCollections(client, 'all', context.out, context.signal);
    } finally {
      await client.close();
    }
  } catch (error) {
    if (!isAppError(error) || context.signal.aborted) throw error;
    return { error: error.message };
  }
}

const command: Command = {
  usage: 'az db encrypt [--json]',
  summary: 'Encrypt the database at rest (SQLCipher 4), and the memories stored in Chroma',
  flags: {},
  args: 0,
  details:
    'The key comes from AZ_DB_KEY, AZ_DB_KEY_FILE (a file with mode 0600) or AZ_HOME/db.key; when none is set,\n' +
    'a random 256-bit key is written to AZ_HOME/db.key. Never from config.json. The server must be stopped.\n' +
    'The database is encrypted into a copy, verified, then swapped in atomically: the original is never\n' +
    'changed in place, so a failure or Ctrl-C leaves it as it was. Then every memory collection is rewritten\n' +
    'encrypted (az memory reindex --all); a local Chroma folder is compacted so no plain text stays in it.',
  async run(context) {
    const client = await connectMaintenance(context);
    let result;
    try {
      result = await client.call(
        encryptDatabaseTool,
        {},
        { signal: context.signal, timeoutMs: LONG_CALL_TIMEOUT_MS, onProgress: progressPrinter(context.out) },
      );
    } finally {
      await client.close();
    }
    const memories = result.status === 'encrypted' ? await encryptMemories(context) : undefined;
    if (context.globals.json) {
      context.out.json(memories === undefined ? result : { ...result, memories });
      return;
    }
    printEncryptionOutcome(context.out, result);
    if (memories === undefined) return;
    if ('error' in memories) {
      context.out.print(`  memories  NOT encrypted yet: ${memories.error}`);
      context.out.note(
        'Memories written before now are still in clear in Chroma. When memory is reachable, run: az memory reindex --all',
      );
      return;
    }
    const total = memories.reduce((sum, found) => sum + found.count, 0);
    if (memories.length === 0) context.out.print('  memories  none stored yet');
    else context.out.print(`  memories  ${total} encrypted in ${memories.length} collections`);
    for (const found of memories) context.out.note(`  ${describeReindex(found)}`);
  },
};
export default command;
