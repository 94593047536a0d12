/**
 * Proving a backup whole before a restore touches anything: every file listed in the manifest exists as a
 * plain file inside the backup with its size and SHA-256, and the database opens with the key and passes a
 * full integrity check at a schema version this build knows.
 */
import { lstatSync, realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { AppError } from '../../../protocol/errors.js';
import { openDatabase, type DatabaseKey } from '../../store/database.js';
import { latestVersion, schemaVersion } from '../../store/migrate.js';
import { databaseFileState, missingKeyError } from '../encryption/home-database.js';
import { sha256File, throwIfAborted } from '../files/file-ops.js';
import { MANIFEST_FILE, type Manifest } from './manifest.js';

export interface VerifyDeps {
  progress(done: number, total: number, message: string): void;
  signal: AbortSignal;
}

/** Security: each file must really be inside the backup directory (no link in its path leads elsewhere). */
function backupFile(root: string, path: string): string {
  const absolute = join(root, path);
  let real: string;
  try {
    real = realpathSync(absolute);
  } catch {
    throw new AppError(
      'INVALID_INPUT',
      `the backup is incomplete: ${path} is listed in ${MANIFEST_FILE} but missing`,
    );
  }
  if (!real.startsWith(`${root}${sep}`) || real !== absolute || !lstatSync(absolute).isFile()) {
    throw new AppError('INVALID_INPUT', `the backup holds ${path} as a link or special file; refusing it`);
  }
  return absolute;
}

export async function verifyBackup(root: string, manifest: Manifest, deps: VerifyDeps): Promise<number> {
  const total = manifest.files.reduce((sum, file) => sum + file.size, 0);
  let done = 0;
  for (const file of manifest.files) {
    throwIfAborted(deps.signal);
    const absolute = backupFile(root, file.path);
    if (statSync(absolute).size !== file.size) {
      throw new AppError(
        'INVALID_INPUT',
        `the backup is damaged: ${file.path} has the wrong size; nothing was restored`,
      );
    }
    const before = done;
    const hash = await sha256File(absolute, deps.signal, bytes =>
      deps.progress(before + bytes, total, 'verifying checksums'),
    );
    if (hash !== file.sha256) {
      throw new AppError(
        'INVALID_INPUT',
        `the backup is damaged: ${file.path} does not match its checksum; nothing was restored`,
      );
    }
    done += file.size;
  }
  return total;
}

export function verifyDatabase(file: string, manifest: Manifest, key: DatabaseKey | undefined): number {
  const state = databaseFileState(file);
  if ((state === 'encrypted') !== manifest.database.encrypted) {
    throw new AppError(
      'INVALID_INPUT',
      `the backup's database is ${state}, but its manifest says otherwise; nothing was restored`,
    );
  }
  if (state === 'encrypted' && !key) {
    const error = missingKeyError(file);
    throw new AppError('CONFIG_INVALID', `the backup's database is encrypted and no key was given`, {
      hint: `${error.hint} Use the key the backup was made with (a rotated-away key is kept as AZ_HOME/db.key.retired-*).`,
    });
  }
  const db = openDatabase(file, {
    key: state === 'encrypted' ? key : undefined,
    mustExist: true,
    readonly: true,
  });
  try {
    const integrity = String(db.pragma('integrity_check', { simple: true }));
    if (integrity !== 'ok') {
      throw new AppError(
        'INVALID_INPUT',
        `the backup's database fails its integrity check (${integrity}); nothing was restored`,
      );
    }
    const version = schemaVersion(db);
    if (version > latestVersion()) {
      throw new AppError(
        'CONFLICT',
        `the backup has schema version ${version}, newer than this az knows (${latestVersion()})`,
        {
          hint: 'Restore it with the AZ-OS version that made it (or a newer one).',
        },
      );
    }
    return version;
  } finally {
    db.close();
  }
}
