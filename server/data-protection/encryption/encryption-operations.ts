/**
 * `az db encrypt`, `az db decrypt` and `az db rekey`: maintenance on a home that nothing else uses, built on
 * convertDatabase (copy, convert, verify, atomic rename).
 *
 * Keys AZ-OS writes itself go to AZ_HOME/db.key by way of db.key.new: the new key file exists on disk before
 * the database that needs it, and opening the home finishes a swap that was interrupted (home-database.ts).
 * A key that stops opening the database is kept as db.key.retired-TIMESTAMP, because backups taken before
 * still need it.
 */
import { renameSync, rmSync } from 'node:fs';
import { AppError } from '../../../protocol/errors.js';
import type { HomePaths } from '../../home.js';
import { initHomeFiles } from '../../home-init.js';
import { CIPHER_NAME, openDatabase, type DatabaseKey } from '../../store/database.js';
import { migrate } from '../../store/migrate.js';
import { fsyncPath } from '../files/file-ops.js';
import { beginMaintenance } from '../maintenance/maintenance-lock.js';
import { convertDatabase, type ConversionReport, type StepProgress } from './convert-database.js';
import {
  NEW_KEY_ENV,
  defaultKeyFile,
  fileExists,
  generateSecret,
  isDefaultKeyFile,
  keyFromSecret,
  pendingKeyFile,
  readKeyFileSecret,
  resolveDatabaseKey,
  retiredKeyFile,
  writeKeyFile,
} from './database-key.js';
import { databaseFileState, missingKeyError } from './home-database.js';

export interface EncryptionOutcome {
  status: 'encrypted' | 'created_encrypted' | 'already_encrypted' | 'decrypted' | 'already_plain' | 'rekeyed';
  cipher: string | null;
  key_source: string | null;
  /** A key file AZ-OS wrote (back it up: without it the database cannot be read). */
  key_file_created: string | null;
  /** Where the key that no longer opens the database was moved. */
  key_file_retired: string | null;
  database: ConversionReport | null;
  duration_ms: number;
}

type Env = Record<string, string | undefined>;

function withMaintenance<T>(paths: HomePaths, operation: string, work: () => Promise<T>): Promise<T> {
  const session = beginMaintenance(paths, operation);
  return work().finally(() => session.release());
}

/** Proves a key opens the database (the caller holds the maintenance lock). */
function assertKeyOpens(paths: HomePaths, key: DatabaseKey): void {
  openDatabase(paths.database, { key, mustExist: true, keepJournalMode: true, readonly: true }).close();
}

/** Moves db.key.new over db.key, keeping the key it replaces. */
function promotePendingKey(paths: HomePaths): string | null {
  let retired: string | null = null;
  if (fileExists(defaultKeyFile(paths))) {
    retired = retiredKeyFile(paths);
    renameSync(defaultKeyFile(paths), retired);
  }
  renameSync(pendingKeyFile(paths), defaultKeyFile(paths));
  fsyncPath(paths.home);
  return retired;
}

function writePendingKey(paths: HomePaths, secret: string): DatabaseKey {
  rmSync(pendingKeyFile(paths), { force: true });
  writeKeyFile(pendingKeyFile(paths), secret);
  return keyFromSecret(secret, `key file ${defaultKeyFile(paths)}`);
}

export function encryptHome(paths: HomePaths, env: Env, progress: StepProgress, signal?: AbortSignal) {
  const started = Date.now();
  initHomeFiles(paths);
  return withMaintenance(paths, 'encrypt', async (): Promise<EncryptionOutcome> => {
    const state = databaseFileState(paths.database);
    const configured = resolveDatabaseKey(paths, env);
    const outcome = (
      status: EncryptionOutcome['status'],
      key: DatabaseKey,
      extra: Partial<EncryptionOutcome> = {},
    ): EncryptionOutcome => ({
      status,
      cipher: CIPHER_NAME,
      key_source: key.source,
      key_file_created: null,
      key_file_retired: null,
      database: null,
      duration_ms: Date.now() - started,
      ...extra,
    });
    if (state === 'encrypted') {
      if (!configured) throw missingKeyError(paths.database);
      assertKeyOpens(paths, configured);
      return outcome('already_encrypted', configured);
    }
    if (state === 'missing') {
      let key = configured;
      let created: string | null = null;
      if (!key) {
        rmSync(pendingKeyFile(paths), { force: true });
        writeKeyFile(defaultKeyFile(paths), generateSecret());
        created = defaultKeyFile(paths);
        key = resolveDatabaseKey(paths, env) as DatabaseKey;
      }
      rmSync(paths.database, { force: true });
      const db = openDatabase(paths.database, { key });
      try {
        migrate(db);
      } finally {
        db.close();
      }
      return outcome('created_encrypted', key, { key_file_created: created });
    }
    // A plain database: the new key file (if AZ-OS makes one) is written before the database that needs it.
    const key = configured ?? writePendingKey(paths, generateSecret());
    const report = await convertDatabase(paths, { kind: 'encrypt', to: key }, 'encrypt', progress, signal);
    const created = configured ? null : defaultKeyFile(paths);
    if (!configured) promotePendingKey(paths);
    return outcome('encrypted', key, { key_file_created: created, database: report });
  }).catch(error => {
    if (!fileExists(paths.database) || databaseFileState(paths.database) !== 'encrypted') {
      rmSync(pendingKeyFile(paths), { force: true });
    }
    throw error;
  });
}

export function decryptHome(paths: HomePaths, env: Env, progress: StepProgress, signal?: AbortSignal) {
  const started = Date.now();
  return withMaintenance(paths, 'decrypt', async (): Promise<EncryptionOutcome> => {
    const state = databaseFileState(paths.database);
    const base = { cipher: null, key_file_created: null, duration_ms: 0 };
    if (state === 'missing') {
      throw new AppError('NOT_FOUND', `there is no database in ${paths.home} to decrypt`, {
        hint: 'Run `az db init` to create one.',
      });
    }
    if (state === 'plain') {
      return { ...base, status: 'already_plain', key_source: null, key_file_retired: null, database: null };
    }
    const key = resolveDatabaseKey(paths, env);
    if (!key) throw missingKeyError(paths.database);
    const report = await convertDatabase(paths, { kind: 'decrypt', from: key }, 'decrypt', progress, signal);
    let retired: string | null = null;
    if (isDefaultKeyFile(paths, key)) {
      // Kept, not deleted: backups taken while the database was encrypted still need it.
      retired = retiredKeyFile(paths);
      renameSync(defaultKeyFile(paths), retired);
    }
    return {
      ...base,
      status: 'decrypted',
      key_source: key.source,
      key_file_retired: retired,
      database: report,
      duration_ms: Date.now() - started,
    };
  });
}

export interface RekeyOptions {
  /** A file holding the new key (mode 0600); otherwise AZ_DB_NEW_KEY, or a generated key for db.key. */
  newKeyFile?: string | undefined;
}

export function rekeyHome(
  paths: HomePaths,
  env: Env,
  options: RekeyOptions,
  progress: StepProgress,
  signal?: AbortSignal,
) {
  const started = Date.now();
  return withMaintenance(paths, 'rekey', async (): Promise<EncryptionOutcome> => {
    if (databaseFileState(paths.database) !== 'encrypted') {
      throw new AppError(
        'INVALID_INPUT',
        `the database in ${paths.home} is not encrypted, so it has no key to rotate`,
        {
          hint: 'Encrypt it with `az db encrypt`.',
        },
      );
    }
    const current = resolveDatabaseKey(paths, env);
    if (!current) throw missingKeyError(paths.database);
    assertKeyOpens(paths, current);
    const ownFile = isDefaultKeyFile(paths, current);
    // The current key opens the database, so a db.key.new lying around is from a rotation that never swapped.
    if (ownFile) rmSync(pendingKeyFile(paths), { force: true });
    const given = newSecret(env, options);
    if (!given && !ownFile) {
      throw new AppError(
        'INVALID_INPUT',
        `the current key comes from ${current.source}, so AZ-OS cannot store a new one for you`,
        {
          hint: `Give the new key in ${NEW_KEY_ENV} or with --new-key-file PATH (mode 0600), then point ${current.source.startsWith('AZ_') ? current.source : 'AZ_DB_KEY_FILE'} at it.`,
        },
      );
    }
    const secret = given?.secret ?? generateSecret();
    const candidate = keyFromSecret(secret, given?.source ?? NEW_KEY_ENV);
    if (candidate.bytes.equals(current.bytes)) {
      throw new AppError('INVALID_INPUT', 'the new key is the same as the current one');
    }
    const next = ownFile ? writePendingKey(paths, secret) : candidate;
    let report: ConversionReport;
    try {
      report = await convertDatabase(
        paths,
        { kind: 'rekey', from: current, to: next },
        'rekey',
        progress,
        signal,
      );
    } catch (error) {
      rmSync(pendingKeyFile(paths), { force: true });
      throw error;
    }
    const retired = ownFile ? promotePendingKey(paths) : null;
    return {
      status: 'rekeyed',
      cipher: CIPHER_NAME,
      key_source: ownFile ? current.source : next.source,
      key_file_created: ownFile ? defaultKeyFile(paths) : null,
      key_file_retired: retired,
      database: report,
      duration_ms: Date.now() - started,
    };
  });
}

function newSecret(env: Env, options: RekeyOptions): { secret: string; source: string } | undefined {
  if (options.newKeyFile !== undefined) {
    return { secret: readKeyFileSecret(options.newKeyFile), source: `key file ${options.newKeyFile}` };
  }
  const inline = env[NEW_KEY_ENV];
  if (inline !== undefined && inline !== '') return { secret: inline, source: NEW_KEY_ENV };
  return undefined;
}
