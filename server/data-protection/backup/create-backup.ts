/**
 * `az db backup PATH`: a consistent backup of a home into a new directory, taken while the server runs.
 *
 *   az.db          online snapshot (sqlite-snapshot.ts); encrypted iff the home's database is, same key
 *   config.json    the user's settings (never the token or any key file)
 *   chroma/…       the memory folder; SQLite files in it are snapshotted the same way, the rest copied
 *   checkpoints/…  the shadow git repositories, references first
 *   manifest.json  sizes and SHA-256 of every file, written last
 *
 * Everything is written into PATH.partial-PID and renamed to PATH at the end, so PATH exists only when the
 * backup is complete; on failure or cancel the partial directory is removed.
 */
import { existsSync, lstatSync, mkdirSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { AppError } from '../../../protocol/errors.js';
import type { BackupSummary } from '../../../protocol/tools/data-tools.js';
import { VERSION } from '../../../protocol/version.js';
import type { HomePaths } from '../../home.js';
import { CIPHER_NAME, type DatabaseKey, type Db } from '../../store/database.js';
import { schemaVersion } from '../../store/migrate.js';
import { databaseFileState } from '../encryption/home-database.js';
import { copyFileDurably, fsyncPath, sha256File, throwIfAborted } from '../files/file-ops.js';
import { gitSafeOrder, listTree, type TreeFile } from '../files/tree.js';
import {
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  MANIFEST_VERSION,
  type BackupFile,
  type Manifest,
} from './manifest.js';
import { snapshotSqlite } from './sqlite-snapshot.js';

export interface BackupRequest {
  path: string;
  includeMemory: boolean;
  includeCheckpoints: boolean;
}

export interface BackupDeps {
  paths: HomePaths;
  /** The live connection, for the size estimate and schema version. */
  db: Db;
  /** The key the live connection uses (undefined for a plain database). */
  key: DatabaseKey | undefined;
  progress(done: number, total: number, message: string): void;
  signal: AbortSignal;
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && rel !== '..');
}

/** The real location a path would have, resolving links in the part of it that exists. */
function realLocation(path: string): string {
  let existing = path;
  const rest: string[] = [];
  while (!existsSync(existing)) {
    rest.unshift(existing.slice(dirname(existing).length + 1));
    const parent = dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  return join(realpathSync(existing), ...rest);
}

/** Security: a backup goes to a new directory outside AZ_HOME (never over data, never into what it copies). */
function checkTarget(path: string, paths: HomePaths): string {
  const target = resolve(path);
  let exists = false;
  try {
    lstatSync(target);
    exists = true;
  } catch {
    // Good: it must not exist.
  }
  if (exists) {
    throw new AppError('CONFLICT', `${target} already exists; a backup never overwrites anything`, {
      hint: 'Choose a new path, e.g. one with the date in its name.',
    });
  }
  if (isInside(realLocation(target), realpathSync(paths.home))) {
    throw new AppError(
      'INVALID_INPUT',
      `${target} is inside AZ_HOME (${paths.home}); put backups somewhere else`,
      {
        hint: 'Ideally on another disk or machine, so one failure cannot take both.',
      },
    );
  }
  return target;
}

export async function createBackup(request: BackupRequest, deps: BackupDeps): Promise<BackupSummary> {
  const started = Date.now();
  const { paths, db, key, signal } = deps;
  const target = checkTarget(request.path, paths);
  try {
    mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new AppError('UNAVAILABLE', `cannot create ${dirname(target)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const work = `${target}.partial-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { mode: 0o700 });
  try {
    const encrypted = key !== undefined;
    const files: BackupFile[] = [];
    const pageBytes =
      (db.pragma('page_count', { simple: true }) as number) *
      (db.pragma('page_size', { simple: true }) as number);
    deps.progress(0, pageBytes, 'snapshotting the database');
    await snapshotSqlite(paths.database, join(work, 'az.db'), {
      key,
      expectedBytes: pageBytes,
      signal,
      onBytes: (bytes, total) => deps.progress(Math.min(bytes, total), total, 'snapshotting the database'),
    });
    files.push(await describeFile(work, 'az.db', signal));
    if (existsSync(paths.configFile)) {
      await copyFileDurably(paths.configFile, join(work, 'config.json'), { signal });
      files.push(await describeFile(work, 'config.json', signal));
    }
    const chroma = request.includeMemory && existsSync(paths.chromaDir);
    const checkpoints = request.includeCheckpoints && existsSync(paths.checkpointsDir);
    const chromaFiles = chroma ? withoutSqliteCompanions(listTree(paths.chromaDir).files) : [];
    const checkpointFiles = checkpoints ? gitSafeOrder(listTree(paths.checkpointsDir).files) : [];
    const totalBytes = [...chromaFiles, ...checkpointFiles].reduce((sum, file) => sum + file.size, 0);
    let doneBytes = 0;
    const copyAll = async (list: TreeFile[], folder: string, label: string): Promise<number> => {
      let bytes = 0;
      for (const file of list) {
        throwIfAborted(signal);
        const relativePath = `${folder}/${file.relative}`;
        const destination = join(work, folder, file.relative);
        mkdirSync(dirname(destination), { recursive: true, mode: 0o700 });
        const before = doneBytes;
        const report = (bytesDone: number): void =>
          deps.progress(before + bytesDone, totalBytes, `copying ${label}`);
        if (isSqliteFile(file)) {
          await snapshotSqlite(file.absolute, destination, { signal, onBytes: report });
        } else {
          await copyFileDurably(file.absolute, destination, { signal, onBytes: report });
        }
        const described = await describeFile(work, relativePath, signal);
        files.push(described);
        bytes += described.size;
        doneBytes = before + file.size;
      }
      return bytes;
    };
    const chromaBytes = await copyAll(chromaFiles, 'chroma', 'memory');
    const checkpointBytes = await copyAll(checkpointFiles, 'checkpoints', 'checkpoints');
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      version: MANIFEST_VERSION,
      created_at: new Date(started).toISOString(),
      az_version: VERSION,
      profile: paths.profile,
      source_home: paths.home,
      database: {
        file: 'az.db',
        encrypted,
        cipher: encrypted ? CIPHER_NAME : null,
        schema_version: schemaVersion(db),
      },
      chroma: { included: chroma },
      checkpoints: { included: checkpoints },
      files,
    };
    writeFileSync(join(work, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    fsyncPath(join(work, MANIFEST_FILE));
    fsyncPath(work);
    throwIfAborted(signal);
    renameSync(work, target);
    fsyncPath(dirname(target));
    const databaseFile = files[0] as BackupFile;
    return {
      path: target,
      created_at: manifest.created_at,
      database: {
        encrypted,
        schema_version: manifest.database.schema_version,
        size_bytes: databaseFile.size,
      },
      chroma: { included: chroma, files: chromaFiles.length, bytes: chromaBytes },
      checkpoints: { included: checkpoints, files: checkpointFiles.length, bytes: checkpointBytes },
      files: files.length,
      bytes: files.reduce((sum, file) => sum + file.size, 0),
      duration_ms: Date.now() - started,
    };
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
}

const SQLITE_NAME = /\.(sqlite3?|db)$/;

function isSqliteFile(file: TreeFile): boolean {
  return SQLITE_NAME.test(file.relative) && databaseFileState(file.absolute) === 'plain';
}

/**
 * A SQLite file is snapshotted whole, its WAL and journal included; copying those beside the snapshot would
 * have SQLite replay a stale WAL over it on the first open after a restore.
 */
function withoutSqliteCompanions(files: TreeFile[]): TreeFile[] {
  const databases = new Set(files.filter(isSqliteFile).map(file => file.relative));
  return files.filter(file => {
    const match = /^(.*)-(wal|shm|journal)$/.exec(file.relative);
    return !(match && databases.has(match[1] as string));
  });
}

async function describeFile(root: string, path: string, signal: AbortSignal): Promise<BackupFile> {
  const absolute = join(root, path);
  return { path, size: lstatSync(absolute).size, sha256: await sha256File(absolute, signal) };
}
