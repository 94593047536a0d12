/**
 * Opening and writing files already confined by confine.ts, without trusting that nothing changed since.
 *
 * Security: between resolving a path and opening it, another process (a shell command the agent started)
 * could swap a directory for a symlink. Files are opened with O_NOFOLLOW and O_NONBLOCK (a FIFO swapped in
 * cannot block the open), checked to be regular files through the descriptor, and on Linux the descriptor's
 * real path (/proc/self/fd/N) must still be inside the workspace. Writes go to a new temporary file in the
 * same directory (O_EXCL, verified the same way), are flushed, and replace the target with one rename.
 */
import { closeSync, constants, fstatSync, openSync, readSync, readlinkSync, type Stats } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { ToolError } from '../errors.js';
import { kindOf, type Confinement } from './confine.js';

const PROC_FD = process.platform === 'linux';

/** Where the descriptor really points; undefined where /proc is not available. */
function descriptorPath(fd: number): string | undefined {
  if (!PROC_FD) return undefined;
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return undefined;
  }
}

function swapped(shown: string): ToolError {
  return new ToolError(
    'PERMISSION_DENIED',
    `'${shown}' changed while it was being opened and now leads outside the workspace`,
    { hint: 'Something replaced a directory with a symlink; check the workspace.' },
  );
}

/**
 * Reads a confined regular file whole, up to `maxBytes` (larger files are refused with their size).
 * Synchronous on purpose: for the file sizes tools read, one open/fstat/read/close on the calling thread is
 * several times cheaper than the thread-pool round trips of fs/promises.
 */
export function readConfinedFile(
  real: string,
  shown: string,
  confinement: Confinement,
  maxBytes: number,
): { data: Buffer; stats: Stats } {
  const fd = openSync(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      throw new ToolError('PERMISSION_DENIED', `'${shown}' is ${kindOf(stats)}, not a regular file`);
    }
    const actual = descriptorPath(fd);
    if (actual !== undefined && !confinement.allows(actual)) throw swapped(shown);
    if (stats.size > maxBytes) {
      throw new ToolError(
        'INVALID_INPUT',
        `'${shown}' is ${stats.size} bytes; the limit here is ${maxBytes} bytes`,
        {
          details: { size: stats.size, limit: maxBytes },
        },
      );
    }
    // The size can change while reading; read until EOF, never past the limit.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buffer = Buffer.allocUnsafe(Math.max(Math.min(stats.size - total, maxBytes - total), 0) + 1);
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      chunks.push(buffer.subarray(0, read));
      total += read;
      if (total > maxBytes) {
        throw new ToolError('INVALID_INPUT', `'${shown}' grew past ${maxBytes} bytes while it was read`);
      }
    }
    return { data: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks), stats };
  } finally {
    closeSync(fd);
  }
}

export interface AtomicWriteOptions {
  /** Permission bits for the new file (an existing file's mode is kept by the caller passing it). */
  mode?: number;
}

/**
 * Replaces (or creates) `real` with `data` atomically: readers see the old or the new content, never a mix,
 * and a crash leaves the old file in place.
 */
export async function writeAtomic(
  real: string,
  data: Buffer,
  shown: string,
  confinement: Confinement,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const temporary = join(dirname(real), `.${basename(real)}.az-${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(
    temporary,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    options.mode ?? 0o666,
  );
  let renamed = false;
  try {
    const actual = descriptorPath(handle.fd);
    if (actual !== undefined && !confinement.allows(actual)) throw swapped(shown);
    if (options.mode !== undefined) await handle.chmod(options.mode);
    await handle.writeFile(data);
    // Flush before the rename so a crash cannot leave an empty file under the target's name.
    await handle.datasync();
    await handle.close();
    await rename(temporary, real);
    renamed = true;
  } finally {
    if (!renamed) {
      await handle.close().catch(() => undefined);
      await rm(temporary, { force: true });
    }
  }
}
