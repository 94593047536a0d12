/**
 * One server per home: `server.lock` holds the pid of the running server. A lock whose process is gone is stale
 * and taken over; a live one is a clear CONFLICT error, so two `az serve` on one home never share the database
 * as two executors.
 */
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { AppError } from '../protocol/errors.js';
import { findDaemon } from '../protocol/daemon.js';
import type { HomePaths } from './home.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface ServerLock {
  release(): void;
}

export function acquireServerLock(paths: HomePaths): ServerLock {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(paths.lockFile, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return {
        release() {
          try {
            if (readFileSync(paths.lockFile, 'utf8').trim() === String(process.pid))
              rmSync(paths.lockFile, { force: true });
          } catch {
            // Already gone.
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number.parseInt(readFileSync(paths.lockFile, 'utf8').trim(), 10);
      if (Number.isInteger(pid) && pid > 0 && alive(pid) && pid !== process.pid) {
        const daemon = findDaemon(paths);
        throw new AppError(
          'CONFLICT',
          `a server is already running on ${paths.home} (pid ${pid}${daemon ? `, ${daemon.url}` : ''})`,
          {
            hint: 'Use that server (az commands find it automatically), stop it first, or start this one with another --profile or --home.',
            details: { pid, url: daemon?.url },
          },
        );
      }
      // Stale lock from a process that died: take it over.
      rmSync(paths.lockFile, { force: true });
    }
  }
  throw new AppError('CONFLICT', `could not take the server lock ${paths.lockFile}`);
}
