/**
 * A cross-process lock on a file, for short critical sections shared by several AZ-OS processes on one home
 * (the daemon, `az mcp` processes, an in-process CLI). The lock file holds the owner's pid; a lock whose
 * process is gone, or that is older than `staleMs`, is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../../protocol/errors.js';

export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function stale(path: string, staleMs: number): boolean {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    if (!processAlive(pid)) return true;
    return Date.now() - statSync(path).mtimeMs > staleMs;
  } catch {
    return true;
  }
}

export interface FileLockOptions {
  /** Give up after this long (ms). */
  timeoutMs: number;
  /** A lock held longer than this is considered abandoned. */
  staleMs: number;
}

export async function withFileLock<T>(
  path: string,
  options: FileLockOptions,
  fn: () => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (stale(path, options.staleMs)) {
        rmSync(path, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new AppError('UNAVAILABLE', `another AZ-OS process holds ${path}`, {
          hint: 'It is starting or stopping the local Chroma; try again in a few seconds.',
        });
      }
      await sleep(50);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(path, { force: true });
  }
}
