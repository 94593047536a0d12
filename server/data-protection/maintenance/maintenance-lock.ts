/**
 * Maintenance of a home (encrypt, decrypt, rekey, restore) replaces the database file, so nothing else may
 * have it open meanwhile. `beginMaintenance` takes the server lock (no `az serve` can start), writes
 * `maintenance.lock` (every process that opens the database checks it before and after opening), and the
 * caller then proves no earlier process still holds the file (see `assertSoleUser`). Together they close the
 * race: a process either opened before the proof (and is detected) or checks the lock after it was written.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AppError, isAppError } from '../../../protocol/errors.js';
import type { HomePaths } from '../../home.js';
import { acquireServerLock } from '../../server-lock.js';
import type { Db } from '../../store/database.js';

export interface MaintenanceInfo {
  pid: number;
  operation: string;
  started_at: string;
}

export function maintenanceLockFile(paths: HomePaths): string {
  return join(paths.home, 'maintenance.lock');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(paths: HomePaths): MaintenanceInfo | undefined {
  try {
    const parsed = JSON.parse(readFileSync(maintenanceLockFile(paths), 'utf8')) as Partial<MaintenanceInfo>;
    if (typeof parsed.pid !== 'number' || typeof parsed.operation !== 'string') return undefined;
    return { pid: parsed.pid, operation: parsed.operation, started_at: String(parsed.started_at ?? '') };
  } catch {
    return undefined;
  }
}

/** The maintenance another live process is doing on this home, if any. */
export function activeMaintenance(paths: HomePaths): MaintenanceInfo | undefined {
  const info = readLock(paths);
  if (!info || info.pid === process.pid || !alive(info.pid)) return undefined;
  return info;
}

export function assertNoMaintenance(paths: HomePaths): void {
  const info = activeMaintenance(paths);
  if (!info) return;
  throw new AppError(
    'UNAVAILABLE',
    `the database of ${paths.home} is being changed by \`az db ${info.operation}\` (pid ${info.pid})`,
    { hint: 'Try again when it has finished.', details: { ...info } },
  );
}

export interface MaintenanceSession {
  release(): void;
}

export function beginMaintenance(paths: HomePaths, operation: string): MaintenanceSession {
  let serverLock;
  try {
    serverLock = acquireServerLock(paths);
  } catch (error) {
    if (isAppError(error) && error.code === 'CONFLICT') {
      throw new AppError(
        'CONFLICT',
        `az db ${operation} needs ${paths.home} to itself, but a server runs on it`,
        {
          cause: error,
          hint: `Stop the server${typeof error.details?.pid === 'number' ? ` (pid ${error.details.pid})` : ''} first (Ctrl-C where it runs, or kill it), then run az db ${operation} again.`,
          details: error.details,
        },
      );
    }
    throw error;
  }
  try {
    const current = activeMaintenance(paths);
    if (current) {
      throw new AppError(
        'CONFLICT',
        `az db ${current.operation} is already running on ${paths.home} (pid ${current.pid})`,
        {
          hint: 'Wait for it to finish.',
        },
      );
    }
    rmSync(maintenanceLockFile(paths), { force: true });
    const fd = openSync(maintenanceLockFile(paths), 'wx', 0o600);
    const info: MaintenanceInfo = { pid: process.pid, operation, started_at: new Date().toISOString() };
    writeSync(fd, `${JSON.stringify(info)}\n`);
    closeSync(fd);
  } catch (error) {
    serverLock.release();
    throw error;
  }
  return {
    release() {
      if (readLock(paths)?.pid === process.pid) rmSync(maintenanceLockFile(paths), { force: true });
      serverLock.release();
    },
  };
}

/**
 * Proves this connection is the only one on the database by leaving WAL mode: SQLite refuses that while any
 * other connection (in any process) has the file open, and it checkpoints and deletes the -wal file, so the
 * main file alone holds every committed change afterwards.
 */
export function assertSoleUser(db: Db, paths: HomePaths, operation: string): void {
  let mode: string;
  try {
    mode = String(db.pragma('journal_mode = DELETE', { simple: true }));
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'SQLITE_BUSY' && code !== 'SQLITE_LOCKED') throw error;
    mode = 'busy';
  }
  if (mode.toLowerCase() !== 'delete') {
    throw new AppError(
      'CONFLICT',
      `another process has the database of ${paths.home} open; az db ${operation} needs it to itself`,
      {
        hint: 'Close other az commands, `az mcp` clients (Agent Zero, Claude Desktop) and dashboards on this home, then try again.',
      },
    );
  }
}
