import { resolve } from 'node:path';
import { backupDatabaseTool } from '../../protocol/tools/data-tools.js';
import type { Command } from '../command.js';
import { formatBytes, LONG_CALL_TIMEOUT_MS, progressPrinter } from '../maintenance.js';

const command: Command = {
  usage: 'az db backup PATH [--skip-memory] [--skip-checkpoints] [--json]',
  summary: 'Back up the database, memory and checkpoints to a new directory (online)',
  flags: {
    skipMemory: { type: 'boolean', description: 'Leave out AZ_HOME/chroma' },
    skipCheckpoints: { type: 'boolean', description: 'Leave out AZ_HOME/checkpoints' },
  },
  args: 1,
  details:
    'Safe while the server runs and tasks write: the database is copied from one consistent snapshot. PATH must\n' +
    'not exist yet and must be outside AZ_HOME; it appears only once the backup is complete. An encrypted\n' +
    'database stays encrypted in the backup; the key is never included, so keep it (AZ_HOME/db.key) apart.\n' +
    'manifest.json lists the SHA-256 of every file. Restore with `az db restore PATH`.',
  async run({ connect, out, globals, input, flags, signal }) {
    const path = resolve(input[0] as string);
    const client = await connect();
    const result = await client.call(
      backupDatabaseTool,
      {
        path,
        include_memory: flags.skipMemory !== true,
        include_checkpoints: flags.skipCheckpoints !== true,
      },
      { signal, timeoutMs: LONG_CALL_TIMEOUT_MS, onProgress: progressPrinter(out) },
    );
    if (globals.json) {
      out.json(result);
      return;
    }
    out.print(`backup written to ${result.path}`);
    out.print(
      `  database     ${formatBytes(result.database.size_bytes)}, schema v${result.database.schema_version}${result.database.encrypted ? ', encrypted (same key as the home)' : ''}`,
    );
    const folder = (part: { included: boolean; files: number; bytes: number }): string =>
      part.included ? `${part.files} files, ${formatBytes(part.bytes)}` : 'not included';
    out.print(`  memory       ${folder(result.chroma)}`);
    out.print(`  checkpoints  ${folder(result.checkpoints)}`);
    out.print(
      `  total        ${result.files} files, ${formatBytes(result.bytes)} in ${(result.duration_ms / 1000).toFixed(1)} s`,
    );
  },
};
export default command;
