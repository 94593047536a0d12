/**
 * Opening the SQLite database: WAL, synchronous=FULL (tasks, costs and audit all live here, and a committed
 * transition must survive power loss), a busy timeout so concurrent processes wait instead of failing, and
 * foreign keys on. Every write goes through `writeTransaction` (BEGIN IMMEDIATE), so a writer takes the lock
 * up front and never fails half-way on an upgrade from a read lock.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../../protocol/errors.js';

export type Db = Database.Database;

export interface OpenDatabaseOptions {
  readonly?: boolean;
  /** Must already exist (az db init creates it). */
  mustExist?: boolean;
  busyTimeoutMs?: number;
}

export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Db {
  let db: Db;
  try {
    db = new Database(path, {
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
    applyPragmas(db, options);
  } catch (error) {
    db.close();
    throw translateOpenError(error, path);
  }
  return db;
}

function applyPragmas(db: Db, options: OpenDatabaseOptions): void {
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
  }
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // Reading sqlite_master proves the file is a database (and, when encrypted, that the key is right).
  db.prepare('SELECT count(*) FROM sqlite_master').get();
}

function translateOpenError(error: unknown, path: string): Error {
  const code = (error as { code?: string }).code;
  if (code === 'SQLITE_NOTADB') {
    return new AppError('UNAVAILABLE', `${path} is not a readable AZ-OS database (or it is encrypted)`, {
      cause: error,
      hint: 'If it is encrypted, provide the key (AZ_DB_KEY or the key file); otherwise restore it from a backup.',
    });
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** Runs `work` inside BEGIN IMMEDIATE … COMMIT; rolls back on any throw. */
export function writeTransaction<T>(db: Db, work: () => T): T {
  return db.transaction(work).immediate();
}
