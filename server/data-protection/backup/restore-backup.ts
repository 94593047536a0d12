/**
 * `az db restore PATH`: putting a backup back, proven whole before anything in the home is touched.
 *
 *  1. read manifest.json; check every listed file's size and SHA-256 (and that it is a plain file inside the
 *     backup, not a link); open the database copy with the key and run a full integrity_check;
 *  2. take the home for maintenance (no server, no other process on the database);
 *  3. without --force, refuse if the home already holds data; with it, move that data to
 *     AZ_HOME/pre-restore-TIMESTAMP (nothing is deleted);
 *  4. copy the files in under temporary names and rename them into place; if anything fails, the moved data
 *     is put back.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { AppError, isAppError } from '../../../protocol/errors.js';
import type { HomePaths } from '../../home.js';
import { initHomeFiles } from '../../home-init.js';
import { openDatabase, type DatabaseKey } from '../../store/database.js';
import { resolveDatabaseKey } from '../encryption/database-key.js';
import { databaseFileState } from '../encryption/home-database.js';
import { copyFileDurably, fsyncPath } from '../files/file-ops.js';
import { assertSoleUser, beginMaintenance } from '../maintenance/maintenance-lock.js';
import { MANIFEST_FILE, readManifest, type Manifest } from './manifest.js';
import { verifyBackup, verifyDatabase } from './verify-backup.js';

export interface RestoreRequest {
  path: string;
  force: boolean;
}

export interface RestoreDeps {
  paths: HomePaths;
  env: Record<string, string | undefined>;
  progress(done: number, total: number, message: string): void;
  signal: AbortSignal;
}

export interface RestoreReport {
  restored_from: string;
  backup_created_at: string;
  schema_version: number;
  encrypted: boolean;
  files: number;
  bytes: number;
  moved_aside: string | null;
  duration_ms: number;
}

/** What the home holds that a restore would replace. */
function existingData(paths: HomePaths): string[] {
  const present: string[] = [];
  if (databaseFileState(paths.database) !== 'missing') present.push(paths.database);
  for (const dir of [paths.chromaDir, paths.checkpointsDir]) {
    if (existsSync(dir) && readdirSync(dir).length > 0) present.push(dir);
  }
  return present;
}

/** Proves no other process has the current database open (skipped when no key opens it: nobody can). */
function assertCurrentDatabaseFree(paths: HomePaths, key: DatabaseKey | undefined): void {
  const state = databaseFileState(paths.database);
  if (state === 'missing' || (state === 'encrypted' && !key)) return;
  let db;
  try {
    db = openDatabase(paths.database, {
      key: state === 'encrypted' ? key : undefined,
      mustExist: true,
      keepJournalMode: true,
    });
  } catch (error) {
    if (isAppError(error)) return;
    throw error;
  }
  try {
    assertSoleUser(db, paths, 'restore');
  } finally {
    db.close();
  }
}

export async function restoreBackup(request: RestoreRequest, deps: RestoreDeps): Promise<RestoreReport> {
  const started = Date.now();
  const { paths, env } = deps;
  let root: string;
  try {
    root = realpathSync(request.path);
  } catch {
    throw new AppError('NOT_FOUND', `there is no backup at ${request.path}`);
  }
  if (!statSync(root).isDirectory())
    throw new AppError('INVALID_INPUT', `${request.path} is not a backup directory`);
  const manifest = readManifest(join(root, MANIFEST_FILE));
  const bytes = await verifyBackup(root, manifest, deps);
  let key: DatabaseKey | undefined;
  try {
    key = resolveDatabaseKey(paths, env);
  } catch (error) {
    if (manifest.database.encrypted) throw error;
  }
  deps.progress(bytes, bytes, 'checking the database');
  const version = verifyDatabase(join(root, 'az.db'), manifest, key);
  initHomeFiles(paths);
  const session = beginMaintenance(paths, 'restore');
  try {
    assertCurrentDatabaseFree(paths, key);
    const present = existingData(paths);
    if (present.length > 0 && !request.force) {
      throw new AppError(
        'CONFLICT',
        `${paths.home} already holds data (${present.join(', ')}); nothing was restored`,
        {
          hint: 'Pass --force to replace it; the current data is moved to AZ_HOME/pre-restore-TIMESTAMP, not deleted.',
        },
      );
    }
    const aside = present.length > 0 ? moveAside(paths, manifest) : null;
    try {
      await copyIn(root, manifest, paths, deps, bytes);
    } catch (error) {
      if (aside) putBack(paths, aside.dir, aside.moved);
      throw error;
    }
    return {
      restored_from: root,
      backup_created_at: manifest.created_at,
      schema_version: version,
      encrypted: manifest.database.encrypted,
      files: manifest.files.length,
      bytes,
      moved_aside: aside?.dir ?? null,
      duration_ms: Date.now() - started,
    };
  } finally {
    session.release();
  }
}

/** A config.json the user wrote settings into is kept (with --force it was moved aside first). */
function holdsSettings(configFile: string): boolean {
  try {
    const json = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
    return Object.keys(json).some(key => key !== '$schema');
  } catch {
    return existsSync(configFile);
  }
}

const DATABASE_SIDE_FILES = ['', '-wal', '-shm', '-journal'];

function moveAside(paths: HomePaths, manifest: Manifest): { dir: string; moved: string[] } {
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const dir = join(paths.home, `pre-restore-${stamp}`);
  mkdirSync(dir, { mode: 0o700 });
  const candidates = [
    ...DATABASE_SIDE_FILES.map(suffix => `az.db${suffix}`),
    'chroma',
    'checkpoints',
    ...(manifest.files.some(file => file.path === 'config.json') ? ['config.json'] : []),
  ];
  const moved: string[] = [];
  for (const name of candidates) {
    if (!existsSync(join(paths.home, name))) continue;
    renameSync(join(paths.home, name), join(dir, name));
    moved.push(name);
  }
  fsyncPath(paths.home);
  return { dir, moved };
}

function putBack(paths: HomePaths, dir: string, moved: readonly string[]): void {
  for (const name of moved) {
    rmSync(join(paths.home, name), { recursive: true, force: true });
    renameSync(join(dir, name), join(paths.home, name));
  }
  rmSync(dir, { recursive: true, force: true });
}

async function copyIn(
  root: string,
  manifest: Manifest,
  paths: HomePaths,
  deps: RestoreDeps,
  total: number,
): Promise<void> {
  const staging = join(paths.home, `.restoring-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { mode: 0o700 });
  try {
    let done = 0;
    for (const file of manifest.files) {
      const destination = join(staging, file.path);
      mkdirSync(dirname(destination), { recursive: true, mode: 0o700 });
      const before = done;
      const copied = await copyFileDurably(join(root, file.path), destination, {
        signal: deps.signal,
        onBytes: bytesDone => deps.progress(before + bytesDone, total, 'restoring files'),
      });
      if (copied.sha256 !== file.sha256) {
        throw new AppError(
          'UNAVAILABLE',
          `${file.path} changed while it was being restored; nothing was restored`,
        );
      }
      done += file.size;
    }
    // No WAL or shared-memory file of the replaced database may meet the restored one.
    for (const suffix of DATABASE_SIDE_FILES.slice(1)) rmSync(`${paths.database}${suffix}`, { force: true });
    for (const name of ['az.db', 'chroma', 'checkpoints']) {
      if (existsSync(join(staging, name))) renameSync(join(staging, name), join(paths.home, name));
    }
    if (existsSync(join(staging, 'config.json')) && !holdsSettings(paths.configFile)) {
      renameSync(join(staging, 'config.json'), paths.configFile);
    }
    fsyncPath(paths.home);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
