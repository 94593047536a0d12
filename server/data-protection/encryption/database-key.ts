/**
 * Where the database key comes from. Never from config.json: only from the environment or a key file that
 * no other user can read.
 *
 *   AZ_DB_KEY        the key itself (a passphrase, or 64 hex characters for a raw 256-bit key)
 *   AZ_DB_KEY_FILE   a file holding it (mode 0600 or stricter)
 *   AZ_HOME/db.key   the default key file, written by `az db encrypt` / `az db init --encrypt`
 *
 * A raw key (what AZ-OS generates) is used as the cipher key directly; any other text goes through SQLCipher's
 * PBKDF2-HMAC-SHA512 (256 000 rounds, about 0.1 s per open) so a passphrase is not cheap to guess.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, lstatSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../protocol/errors.js';
import type { HomePaths } from '../../home.js';
import type { DatabaseKey } from '../../store/database.js';

export const KEY_ENV = 'AZ_DB_KEY';
export const KEY_FILE_ENV = 'AZ_DB_KEY_FILE';
/** A new key for `az db rekey` when the current one comes from the environment. */
export const NEW_KEY_ENV = 'AZ_DB_NEW_KEY';

const RAW_KEY = /^[0-9a-fA-F]{64}$/;
const MAX_KEY_BYTES = 4096;

export function defaultKeyFile(paths: HomePaths): string {
  return join(paths.home, 'db.key');
}

/** The next key during a rotation: written before the database is swapped, renamed over db.key after. */
export function pendingKeyFile(paths: HomePaths): string {
  return join(paths.home, 'db.key.new');
}

/** What the user supplied, turned into the bytes sqlite3_key expects. */
export function keyFromSecret(secret: string, source: string): DatabaseKey {
  if (secret.length === 0) {
    throw new AppError('CONFIG_INVALID', `the database key from ${source} is empty`, {
      hint: 'Put a key in it (az db encrypt generates one), or unset it.',
    });
  }
  if (Buffer.byteLength(secret) > MAX_KEY_BYTES) {
    throw new AppError(
      'CONFIG_INVALID',
      `the database key from ${source} is longer than ${MAX_KEY_BYTES} bytes`,
    );
  }
  const bytes = RAW_KEY.test(secret)
    ? Buffer.from(`x'${secret.toLowerCase()}'`)
    : Buffer.from(secret, 'utf8');
  return { bytes, source };
}

/**
 * Reads a key file. Security: like ssh with private keys, a key file that group or others may read is refused
 * rather than used, and only a regular file is accepted (not a FIFO or device that could block or leak).
 */
export function readKeyFile(path: string): DatabaseKey {
  return keyFromSecret(readKeyFileSecret(path), `key file ${path}`);
}

/** The secret text of a key file, after the same checks as readKeyFile. */
export function readKeyFileSecret(path: string): string {
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    throw new AppError(
      'CONFIG_INVALID',
      `cannot read the database key file ${path}: ${(error as Error).message}`,
      {
        cause: error,
        hint: `Check the path in ${KEY_FILE_ENV}, or unset it to use AZ_HOME/db.key.`,
      },
    );
  }
  if (!stats.isFile()) {
    throw new AppError('CONFIG_INVALID', `the database key file ${path} is not a regular file`);
  }
  const mode = stats.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new AppError(
      'CONFIG_INVALID',
      `the database key file ${path} may be read by other users (mode ${mode.toString(8).padStart(4, '0')})`,
      { hint: `Run \`chmod 600 ${path}\` and try again.`, details: { path, mode: mode.toString(8) } },
    );
  }
  if (stats.size > MAX_KEY_BYTES + 2) {
    throw new AppError('CONFIG_INVALID', `the database key file ${path} is too large to be a key`);
  }
  return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
}

/**
 * The key for this home, or undefined when none is configured. Precedence: AZ_DB_KEY, then AZ_DB_KEY_FILE,
 * then AZ_HOME/db.key when it exists. A configured but unusable key is an error, never silently skipped.
 */
export function resolveDatabaseKey(
  paths: HomePaths,
  env: Record<string, string | undefined>,
): DatabaseKey | undefined {
  const inline = env[KEY_ENV];
  if (inline !== undefined && inline !== '') return keyFromSecret(inline, KEY_ENV);
  const file = env[KEY_FILE_ENV];
  if (file !== undefined && file !== '') return readKeyFile(file);
  const fallback = defaultKeyFile(paths);
  if (fileExists(fallback)) return readKeyFile(fallback);
  return undefined;
}

/** True when the key in use is the home's own key file (rotation may then write a new one itself). */
export function isDefaultKeyFile(paths: HomePaths, key: DatabaseKey): boolean {
  return key.source === `key file ${defaultKeyFile(paths)}`;
}

/** Where a key that no longer opens the database is kept (old backups may still need it). */
export function retiredKeyFile(paths: HomePaths, now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return join(paths.home, `db.key.retired-${stamp}`);
}

export function fileExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** 256 random bits as 64 hex characters: used as a raw cipher key, so no key derivation is needed. */
export function generateSecret(): string {
  return randomBytes(32).toString('hex');
}

/**
 * Security: created 0600 from the first byte (never chmod-ed afterwards) and flushed to disk before anyone
 * relies on it. Refuses to overwrite: a key file may be the only copy of a key.
 */
export function writeKeyFile(path: string, secret: string): void {
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, `${secret}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
