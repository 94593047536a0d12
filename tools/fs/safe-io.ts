/**
 * Opening and writing files already confined by confine.ts, without trusting that nothing changed since.
 *
 * Security: between resolving a path and opening it, another process (a shell command the agent started)
 * could swap a directory for a symlink. Files are opened with O_NOFOLLOW and O_NONBLOCK (a FIFO swapped in
 * cannot block the open), checked to be regular files through the descriptor, and on Linux the descriptor's
 * real path (/proc/self/fd/N) must still be inside the workspace. Writes go to a new temporary file in the
 * same directory (O_EXCL, verified the same way), are flushed, and replace the target with one rename.
 */
import { constants, readlinkSync, type Stats } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { ToolError } from '../errors.js';
import { kindOf, type Confinement } from './confine.js';

const PROC_FD = process.platform === 'linux';

/** Where the descriptor really points; undefined where /proc is not available. */
function descriptorPath(handle: FileHandle): string | undefined {
  if (!PROC_FD) return undefined;
  try {
    return readlinkSync(`/proc/self/fd/${handle.fd}`);
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

/** Opens a confined regular file for reading; returns the handle and its stats (from the descriptor). */
export async function openForRead(
  real: string,
  shown: string,
  confinement: Confinement,
): Promise<{ handle: FileHandle; stats: Stats }> {
  const handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      throw new ToolError('PERMISSION_DENIED', `'${shown}' is ${kindOf(stats)}, not a regular file`);
    }
    const actual = descriptorPath(handle);
    if (actual !== undefined && !confinement.allows(actual)) throw swapped(shown);
    return { handle, stats };
  } catch (error) {
    await handle.close();
    throw error;
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
    const actual = descriptorPath(handle);
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
