/**
 * Opening the SQLite database: WAL, synchronous=FULL (tasks, costs and audit all live here, and a committed
 * transition must survive power loss), a busy timeout so concurrent processes wait instead of failing, and
 * foreign keys on. Every write goes through `writeTransaction` (BEGIN IMMEDIATE), so a writer takes the lock
 * up front and never fails half-way on an upgrade from a read lock.
 *
 * One deliberate exception, for throughput with many running tasks: the agent's hot path (journal, cost
 * ledger, running tasks' status) commits through store/relaxed-writes.ts — group commit with the WAL fsynced
 * within 100 ms, and a durability barrier before any side effect that is unsafe to repeat and before money is
 * spent against a budget. A killed process loses nothing; a power loss can lose at most the last 100 ms of
 * those rows, never a repeated side effect or an unaccounted budget. The same holds for read-only audit rows
 * (server/audit/audit-log.ts); mutating calls' audit rows are FULL.
 *
 * Encryption at rest: given a key, the file is read and written through SQLite3MultipleCiphers with the
 * SQLCipher 4 scheme (AES-256-CBC + HMAC-SHA512 per page; the WAL is encrypted the same way). Which key, and
 * whether the file is encrypted at all, is decided by server/data-protection/encryption.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../../protocol/errors.js';

export type Db = Database.Database;

/** The driver version whose JavaScript the bundle holds (set by scripts/bundle-cli.mjs; unset unbundled). */
declare const AZ_SQLITE_DRIVER_VERSION: string | undefined;

interface SqliteDriver {
  Database: typeof Database;
  /** The compiled addon's path, when known: loaded directly instead of through `bindings`' search. */
  nativeBinding: string | undefined;
}

let driver: SqliteDriver | undefined;

/**
 * The SQLite driver. In the bundled CLI its JavaScript is part of the bundle (so the V8 code cache covers it)
 * and its addon is loaded from the installed package by path — `bindings` would try a dozen paths, and from
 * inside the bundle would look in the wrong package. If the installed package is another version than the
 * bundled one, or its addon is not where a build puts it, the installed package is used whole, as Node loads it.
 */
function sqliteDriver(): SqliteDriver {
  if (driver) return driver;
  const require = createRequire(import.meta.url);
  const bundled = typeof AZ_SQLITE_DRIVER_VERSION === 'string' ? AZ_SQLITE_DRIVER_VERSION : undefined;
  try {
    const manifest = require.resolve('better-sqlite3-multiple-ciphers/package.json');
    const addon = join(dirname(manifest), 'build', 'Release', 'better_sqlite3.node');
    const installed =
      bundled === undefined
        ? undefined
        : (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: unknown }).version;
    if (installed === bundled && existsSync(addon)) return (driver = { Database, nativeBinding: addon });
  } catch {
    // Not resolvable from here: the package's own loader (below) says what is missing.
  }
  const whole =
    bundled === undefined ? Database : (require('better-sqlite3-multiple-ciphers') as typeof Database);
  return (driver = { Database: whole, nativeBinding: undefined });
}

/** A plain better-sqlite3 connection (no pragmas, no key): openDatabase below is the one AZ-OS's data uses. */
export function openSqlite(path: string, options: Database.Options = {}): Db {
  const { Database: Driver, nativeBinding } = sqliteDriver();
  return new Driver(path, nativeBinding === undefined ? options : { ...options, nativeBinding });
}

/** The secret that unlocks an encrypted database, and where it came from (for messages; never the secret). */
export interface DatabaseKey {
  /** Bytes handed to sqlite3_key: a passphrase, or `x'<64 hex>'` for a raw 256-bit key (no KDF). */
  bytes: Buffer;
  /** Where the key came from, e.g. "AZ_DB_KEY" or "key file /home/me/.az-os/db.key". */
  source: string;
}

/**
 * The cipher configuration, applied before the key on every connection (the daemon, the CLI, backup workers).
 * SQLCipher 4 compatible, so `sqlcipher` or DB Browser can open the file with the same key.
 */
export const CIPHER_PRAGMAS: readonly string[] = ["cipher = 'sqlcipher'", 'legacy = 4'];

export const CIPHER_NAME = 'sqlcipher4';

export interface OpenDatabaseOptions {
  readonly?: boolean;
  /** Must already exist (az db init creates it). */
  mustExist?: boolean;
  busyTimeoutMs?: number;
  /** Open (or create) the file encrypted with this key. */
  key?: DatabaseKey | undefined;
  /** Leave the journal mode alone (maintenance work switches it itself). */
  keepJournalMode?: boolean;
}

export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Db {
  let db: Db;
  try {
    db = openSqlite(path, {
      readonly: options.readonly ?? false,
      fileMustExist: options.mustExist ?? false,
      timeout: options.busyTimeoutMs ?? 5000,
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_CANTOPEN') {
      throw new AppError('UNAVAILABLE', `cannot open the database at ${path}`, {
        cause: error,
        hint: 'Run `az db init` to create it, or check the permissions of AZ_HOME.',
      });
    }
    throw error;
  }
  try {
    if (options.key) applyKey(db, options.key);
    applyPragmas(db, options);
  } catch (error) {
    db.close();
    throw translateOpenError(error, path, options.key);
  }
  return db;
}

/** Sets the cipher and the key on a fresh connection (before anything reads the file). */
export function applyKey(db: Db, key: DatabaseKey): void {
  for (const pragma of CIPHER_PRAGMAS) db.pragma(pragma);
  db.key(key.bytes);
}

function applyPragmas(db: Db, options: OpenDatabaseOptions): void {
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  // Reading sqlite_master proves the file is a database (and, when encrypted, that the key is right).
  db.prepare('SELECT count(*) FROM sqlite_master').get();
  if (!options.readonly && !options.keepJournalMode) {
    db.pragma('journal_mode = WAL');
  }
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
}

function translateOpenError(error: unknown, path: string, key: DatabaseKey | undefined): Error {
  const code = (error as { code?: string }).code;
  if (code === 'SQLITE_NOTADB') {
    if (key) {
      return new AppError(
        'CONFIG_INVALID',
        `cannot decrypt the database at ${path} with the key from ${key.source}: the key is wrong or the file is damaged`,
        {
          cause: error,
          hint: 'Give the key it was encrypted with (AZ_DB_KEY, AZ_DB_KEY_FILE or AZ_HOME/db.key), or restore a backup with `az db restore`.',
        },
      );
    }
    return new AppError('UNAVAILABLE', `${path} is not a readable AZ-OS database`, {
      cause: error,
      hint: 'If it is encrypted, provide the key (AZ_DB_KEY or the key file); otherwise restore it from a backup.',
    });
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new AppError('UNAVAILABLE', `the database at ${path} is locked by another process`, {
      cause: error,
      hint: 'Another az command may be encrypting, restoring or migrating it; try again when it has finished.',
    });
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** SQLite result codes that mean "the disk (or the database size cap) is full". */
const FULL_CODES = new Set([
  'SQLITE_FULL',
  'SQLITE_IOERR_WRITE',
  'SQLITE_IOERR_FSYNC',
  'SQLITE_IOERR_SHMSIZE',
]);

/** Turns a failed write into a clear error; anything else is passed through unchanged. */
export function translateWriteError(error: unknown): unknown {
  const code = (error as { code?: string }).code;
  if (typeof code === 'string' && FULL_CODES.has(code)) {
    return new AppError(
      'UNAVAILABLE',
      'the disk holding the AZ-OS database is full: the change was not saved',
      {
        cause: error,
        hint: 'Free disk space (az doctor shows how much is left) or prune old data with `az db prune`; reading still works.',
        details: { sqlite_code: code },
      },
    );
  }
  return error;
}

/** One transaction function per connection, reused by every write (better-sqlite3 builds one per call). */
const transactions = new WeakMap<Db, ReturnType<Db['transaction']>>();

/** Runs `work` inside BEGIN IMMEDIATE … COMMIT (or a savepoint inside an open one); rolls back on any throw. */
export function writeTransaction<T>(db: Db, work: () => T): T {
  let transaction = transactions.get(db);
  if (!transaction) {
    transaction = db.transaction((inner: () => unknown) => inner());
    transactions.set(db, transaction);
  }
  try {
    return transaction.immediate(work) as T;
  } catch (error) {
    throw translateWriteError(error);
  }
}
