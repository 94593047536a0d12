/**
 * Opening the database of a home the one way every process does it (daemon, in-process CLI, stdio, doctor):
 * look at the file to see whether it is encrypted, find the key, refuse clearly when the two do not fit, and
 * never open the file while maintenance is replacing it.
 *
 * A new database is created encrypted whenever a key is configured (AZ_DB_KEY, AZ_DB_KEY_FILE or an existing
 * AZ_HOME/db.key); otherwise it is plain until `az db encrypt`.
 */
import { closeSync, openSync, readSync, renameSync, statSync } from 'node:fs';
import { AppError, isAppError } from '../../../protocol/errors.js';
import type { HomePaths } from '../../home.js';
import { CIPHER_NAME, openDatabase, type DatabaseKey, type Db } from '../../store/database.js';
import { assertNoMaintenance } from '../maintenance/maintenance-lock.js';
import {
  KEY_ENV,
  KEY_FILE_ENV,
  defaultKeyFile,
  fileExists,
  isDefaultKeyFile,
  pendingKeyFile,
  readKeyFile,
  resolveDatabaseKey,
  retiredKeyFile,
} from './database-key.js';

export type DatabaseFileState = 'missing' | 'plain' | 'encrypted';

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** A plain SQLite file starts with its magic header; an SQLCipher file starts with its random salt. */
export function databaseFileState(path: string): DatabaseFileState {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return 'missing';
  }
  if (size === 0) return 'missing';
  const header = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  return header.equals(SQLITE_HEADER) ? 'plain' : 'encrypted';
}

export interface EncryptionState {
  encrypted: boolean;
  /** The cipher scheme of an encrypted file. */
  cipher: string | null;
  /** Where the key came from (never the key). */
  keySource: string | null;
  /** A key is configured but the database is plain (run `az db encrypt`). */
  keyUnused: boolean;
}

export interface HomeDatabase {
  db: Db;
  encryption: EncryptionState;
  /** The key the database was opened with (second connections, e.g. backup snapshots, need it too). */
  key: DatabaseKey | undefined;
}

export function missingKeyError(path: string): AppError {
  return new AppError('CONFIG_INVALID', `the database at ${path} is encrypted and no key was given`, {
    hint: `Set ${KEY_ENV} to the key, or ${KEY_FILE_ENV} to a file holding it (mode 0600), or put it in AZ_HOME/db.key.`,
  });
}

/** Opens (creating if needed) the database of a home with the right key. */
export function openHomeDatabase(
  paths: HomePaths,
  env: Record<string, string | undefined>,
  options: { mustExist?: boolean; readonly?: boolean } = {},
): HomeDatabase {
  assertNoMaintenance(paths);
  const state = databaseFileState(paths.database);
  const open = (key: DatabaseKey | undefined): Db =>
    openDatabase(paths.database, { key, mustExist: options.mustExist, readonly: options.readonly });
  let result: HomeDatabase;
  if (state === 'plain') {
    // A broken key setting must not stop a plain database from opening; doctor reports it.
    let keyUnused = false;
    try {
      keyUnused = resolveDatabaseKey(paths, env) !== undefined;
    } catch {
      keyUnused = true;
    }
    result = {
      db: open(undefined),
      encryption: { encrypted: false, cipher: null, keySource: null, keyUnused },
      key: undefined,
    };
  } else {
    const key = resolveDatabaseKey(paths, env);
    if (state === 'encrypted') {
      result = openEncrypted(paths, key, open);
    } else {
      result = {
        db: open(key),
        encryption: {
          encrypted: key !== undefined,
          cipher: key ? CIPHER_NAME : null,
          keySource: key?.source ?? null,
          keyUnused: false,
        },
        key,
      };
    }
  }
  try {
    // Checked again after opening: a maintenance that began meanwhile has not seen this connection.
    assertNoMaintenance(paths);
  } catch (error) {
    result.db.close();
    throw error;
  }
  return result;
}

function openEncrypted(
  paths: HomePaths,
  key: DatabaseKey | undefined,
  open: (key: DatabaseKey | undefined) => Db,
): HomeDatabase {
  const encryption = (used: DatabaseKey): EncryptionState => ({
    encrypted: true,
    cipher: CIPHER_NAME,
    keySource: used.source,
    keyUnused: false,
  });
  const pending = pendingKeyFile(paths);
  const usesDefaultFile = key === undefined || isDefaultKeyFile(paths, key);
  if (!key && !(usesDefaultFile && fileExists(pending))) throw missingKeyError(paths.database);
  try {
    if (key) return { db: open(key), encryption: encryption(key), key };
  } catch (error) {
    if (!(isAppError(error) && error.code === 'CONFIG_INVALID' && usesDefaultFile && fileExists(pending)))
      throw error;
  }
  // A rotation stopped after the database was swapped but before db.key.new replaced db.key: finish it.
  const next = readKeyFile(pending);
  const db = open(next);
  if (fileExists(defaultKeyFile(paths))) renameSync(defaultKeyFile(paths), retiredKeyFile(paths));
  renameSync(pending, defaultKeyFile(paths));
  const healed = { ...next, source: `key file ${defaultKeyFile(paths)}` };
  return { db, encryption: encryption(healed), key: healed };
}
