/** File helpers for backup, restore and encryption: copies with progress, checksums, durable renames. */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync } from 'node:fs';
import type * as FsPromises from 'node:fs/promises';
import { AppError } from '../../../protocol/errors.js';

/** node:fs/promises, loaded on first use: every in-process command loads this module, few copy a file. */
const fsPromises = (): typeof FsPromises => process.getBuiltinModule('node:fs/promises');

const CHUNK = 4 * 1024 * 1024;

export type ByteProgress = (bytesDone: number) => void;

/** Copies a file in chunks (reporting progress, honouring the signal), flushes it, and returns its SHA-256. */
export async function copyFileDurably(
  source: string,
  target: string,
  options: { signal?: AbortSignal | undefined; onBytes?: ByteProgress; mode?: number } = {},
): Promise<{ bytes: number; sha256: string }> {
  try {
    return await copyChunks(source, target, options);
  } catch (error) {
    throw translateDiskFull(error, target);
  }
}

/** ENOSPC / EDQUOT from a write, as an error that says what happened and that nothing was kept. */
export function translateDiskFull(error: unknown, target: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== 'ENOSPC' && code !== 'EDQUOT') return error;
  return new AppError(
    'UNAVAILABLE',
    `the disk holding ${target} is full (${code}); the operation stopped and changed nothing`,
    {
      cause: error,
      hint: 'Free space there (az doctor shows how much is left), then try again.',
    },
  );
}

async function copyChunks(
  source: string,
  target: string,
  options: { signal?: AbortSignal | undefined; onBytes?: ByteProgress; mode?: number },
): Promise<{ bytes: number; sha256: string }> {
  const { open } = fsPromises();
  const input = await open(source, 'r');
  const output = await open(target, 'wx', options.mode ?? 0o600);
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(CHUNK);
  let total = 0;
  try {
    for (;;) {
      throwIfAborted(options.signal);
      const { bytesRead } = await input.read(buffer, 0, CHUNK, null);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      hash.update(chunk);
      // write(2) may write less than asked when the disk fills up (ENOSPC comes on the next call): loop, or a
      // full disk leaves a silently truncated copy.
      for (let offset = 0; offset < chunk.length;) {
        const { bytesWritten } = await output.write(chunk, offset, chunk.length - offset);
        offset += bytesWritten;
      }
      total += bytesRead;
      options.onBytes?.(total);
    }
    await output.sync();
  } finally {
    await input.close();
    await output.close();
  }
  return { bytes: total, sha256: hash.digest('hex') };
}

export async function sha256File(
  path: string,
  signal?: AbortSignal,
  onBytes?: ByteProgress,
): Promise<string> {
  const input = await fsPromises().open(path, 'r');
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(CHUNK);
  let total = 0;
  try {
    for (;;) {
      throwIfAborted(signal);
      const { bytesRead } = await input.read(buffer, 0, CHUNK, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      total += bytesRead;
      onBytes?.(total);
    }
  } finally {
    await input.close();
  }
  return hash.digest('hex');
}

/** Flushes a file or directory entry to disk (a rename is durable only once its directory is synced). */
export function fsyncPath(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError('CANCELLED', 'cancelled; nothing was changed');
}
