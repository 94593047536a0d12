/**
 * Encrypting, decrypting and re-keying the database without ever writing to the original file.
 *
 * The database is copied (after proving nobody else has it open, which also folds the WAL into the main
 * file), the copy is re-keyed by SQLite3MultipleCiphers page by page, reopened with the new key and checked
 * (integrity_check, and every table's row count against the original), flushed, and only then renamed over the
 * original — an atomic step. Killed or failing at any point before the rename, the original is untouched and
 * the half-made copy is removed on the next run. Re-keying in place would be shorter, but a crash in the middle
 * of it leaves a file that neither key opens.
 */
import { readdirSync, renameSync, rmSync, statSync, statfsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../../../protocol/errors.js';
import type { HomePaths } from '../../home.js';
import {
  applyKey,
  CIPHER_PRAGMAS,
  openDatabase,
  openSqlite,
  translateWriteError,
  type DatabaseKey,
  type Db,
} from '../../store/database.js';
import { copyFileDurably, fsyncPath, throwIfAborted } from '../files/file-ops.js';
import { assertSoleUser } from '../maintenance/maintenance-lock.js';
import { databaseFileState } from './home-database.js';

export type Conversion =
  | { kind: 'encrypt'; to: DatabaseKey }
  | { kind: 'decrypt'; from: DatabaseKey }
  | { kind: 'rekey'; from: DatabaseKey; to: DatabaseKey };

export interface ConversionReport {
  size_bytes: number;
  tables: number;
  rows: number;
}

export type StepProgress = (done: number, total: number, message: string) => void;

const TEMP_SUFFIX = /\.(encrypt|decrypt|rekey)-[0-9]+\.tmp(-journal)?$/;

/** Removes copies left by a conversion that was killed (the caller holds the maintenance lock). */
export function removeStaleCopies(paths: HomePaths): string[] {
  const prefix = `${basename(paths.database)}.`;
  const removed: string[] = [];
  for (const name of readdirSync(dirname(paths.database))) {
    if (name.startsWith(prefix) && TEMP_SUFFIX.test(name)) {
      rmSync(join(dirname(paths.database), name), { force: true });
      removed.push(name);
    }
  }
  return removed;
}

/** Row counts of every table: the copy must hold exactly what the original held. */
export function tableCounts(db: Db): Map<string, number> {
  const names = db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_stat%' ORDER BY name",
    )
    .pluck()
    .all() as string[];
  const counts = new Map<string, number>();
  for (const name of names) {
    const quoted = `"${name.replaceAll('"', '""')}"`;
    counts.set(name, db.prepare(`SELECT count(*) FROM ${quoted}`).pluck().get() as number);
  }
  return counts;
}

/** True when the file system holding `dir` has less than `bytes` available. */
function lessFreeThan(dir: string, bytes: number): boolean {
  try {
    const stats = statfsSync(dir);
    return stats.bavail * stats.bsize < bytes;
  } catch {
    return false;
  }
}

function openCopy(path: string, key: DatabaseKey | undefined): Db {
  const db = openSqlite(path, { fileMustExist: true, timeout: 5000 });
  if (key) applyKey(db, key);
  return db;
}

export async function convertDatabase(
  paths: HomePaths,
  conversion: Conversion,
  operation: string,
  progress: StepProgress,
  signal?: AbortSignal,
): Promise<ConversionReport> {
  removeStaleCopies(paths);
  const fromKey = conversion.kind === 'encrypt' ? undefined : conversion.from;
  const toKey = conversion.kind === 'decrypt' ? undefined : conversion.to;
  const source = openDatabase(paths.database, { key: fromKey, mustExist: true, keepJournalMode: true });
  const copy = `${paths.database}.${conversion.kind}-${process.pid}.tmp`;
  try {
    assertSoleUser(source, paths, operation);
    const check = String(source.pragma('quick_check', { simple: true }));
    if (check !== 'ok') {
      throw new AppError('UNAVAILABLE', `the database is damaged (${check}); it was left as it is`, {
        hint: 'Restore a backup with `az db restore`, then run this again.',
      });
    }
    // A read transaction keeps writers out while the file is copied (the journal is DELETE mode now).
    source.exec('BEGIN');
    const expected = tableCounts(source);
    const size = statSync(paths.database).size;
    await copyFileDurably(paths.database, copy, {
      signal,
      onBytes: bytes => progress(bytes, size, 'copying the database'),
    });
    throwIfAborted(signal);
    progress(size, size, conversion.kind === 'decrypt' ? 'decrypting the copy' : 'encrypting the copy');
    const working = openCopy(copy, fromKey);
    try {
      working.pragma('journal_mode = DELETE');
      if (!fromKey) for (const pragma of CIPHER_PRAGMAS) working.pragma(pragma);
      working.rekey(toKey ? toKey.bytes : Buffer.alloc(0));
    } catch (error) {
      const translated = translateWriteError(error);
      // A full disk can also surface from the rekey as SQLITE_CORRUPT (a page write cut short); the copy is
      // discarded either way and the original was never written to.
      throw translated instanceof AppError || lessFreeThan(dirname(copy), size)
        ? new AppError(
            'UNAVAILABLE',
            `the disk is full: the copy could not be ${conversion.kind}ed; the database was left as it was`,
            {
              cause: error,
              hint: 'Free disk space (az doctor shows how much is left) or prune old data with `az db prune`; reading still works.',
            },
          )
        : error;
    } finally {
      working.close();
    }
    progress(size, size, 'verifying the copy');
    const report = verifyCopy(copy, toKey, expected);
    source.exec('COMMIT');
    source.close();
    fsyncPath(copy);
    // No -wal or -shm may outlive the old file: they would be read as the new file's.
    for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${paths.database}${suffix}`, { force: true });
    renameSync(copy, paths.database);
    fsyncPath(dirname(paths.database));
    return report;
  } finally {
    if (source.open) source.close();
    rmSync(copy, { force: true });
    rmSync(`${copy}-journal`, { force: true });
  }
}

function verifyCopy(
  path: string,
  key: DatabaseKey | undefined,
  expected: Map<string, number>,
): ConversionReport {
  const state = databaseFileState(path);
  if (state !== (key ? 'encrypted' : 'plain')) {
    throw new AppError(
      'INTERNAL',
      `the converted copy is ${state}, not ${key ? 'encrypted' : 'plain'}; nothing was changed`,
    );
  }
  const db = openCopy(path, key);
  try {
    const integrity = String(db.pragma('integrity_check', { simple: true }));
    if (integrity !== 'ok') {
      throw new AppError(
        'INTERNAL',
        `the converted copy failed its integrity check (${integrity}); nothing was changed`,
      );
    }
    const actual = tableCounts(db);
    for (const [table, count] of expected) {
      if (actual.get(table) !== count) {
        throw new AppError(
          'INTERNAL',
          `the converted copy has ${actual.get(table) ?? 0} rows in ${table}, the original ${count}; nothing was changed`,
        );
      }
    }
    let rows = 0;
    for (const count of actual.values()) rows += count;
    return { size_bytes: statSync(path).size, tables: actual.size, rows };
  } finally {
    db.close();
  }
}
