/** How the result of encrypt / decrypt / rekey reads in the terminal. */
import type { EncryptionOutcome } from '../protocol/tools/data-tools.js';
import type { Output } from './command.js';
import { formatBytes } from './maintenance.js';

const HEADLINES: Record<EncryptionOutcome['status'], string> = {
  encrypted: 'encrypted the database',
  created_encrypted: 'created the database encrypted',
  already_encrypted: 'the database is already encrypted',
  decrypted: 'decrypted the database',
  already_plain: 'the database is not encrypted; nothing to do',
  rekeyed: 're-encrypted the database with the new key',
};

export function printEncryptionOutcome(out: Output, result: EncryptionOutcome): void {
  out.print(HEADLINES[result.status]);
  if (result.cipher)
    out.print(
      `  cipher    ${result.cipher === 'sqlcipher4' ? 'SQLCipher 4 (AES-256, HMAC-SHA512)' : result.cipher}`,
    );
  if (result.key_source) out.print(`  key       ${result.key_source}`);
  if (result.database) {
    out.print(
      `  database  ${formatBytes(result.database.size_bytes)}, ${result.database.tables} tables, ${result.database.rows} rows verified`,
    );
  }
  if (result.key_file_retired)
    out.print(`  old key   kept in ${result.key_file_retired} (backups made before need it)`);
  if (result.key_file_created) {
    out.note('');
    out.note(`The key is in ${result.key_file_created} (mode 0600). Copy it somewhere safe now:`);
    out.note(
      'without it the database and its backups cannot be read. Anyone who can read it can read the data;',
    );
    out.note('for stronger protection keep it outside AZ_HOME and point AZ_DB_KEY_FILE at it.');
  }
}
