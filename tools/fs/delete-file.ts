/**
 * delete_file: remove a file, a symlink (the link, never its target) or a directory (`recursive` for one that
 * is not empty). Everything a recursive delete would remove is put before the policy, so protected files
 * inside (a .git directory, .env files) need the same permission as deleting them one by one.
 */
import type { Dirent } from 'node:fs';
import { readdir, rm, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import type { FsToolDeps } from '../access.js';
import { ToolError, errnoOf } from '../errors.js';
import { kindOf } from './confine.js';
import { lazySchema } from '../lazy-schema.js';

/** A recursive delete touching more entries than this is refused (use the shell, with care). */
export const DELETE_MAX_ENTRIES = 20_000;

export const DeleteFileInputSchema = lazySchema(() =>
  z.strictObject({
    path: z.string().describe('What to delete, relative to the workspace root'),
    recursive: z.boolean().optional().describe('Delete a directory with everything in it (default false)'),
  }),
);
export type DeleteFileInput = z.infer<ReturnType<typeof DeleteFileInputSchema>>;

export const DeleteFileOutputSchema = lazySchema(() =>
  z.object({
    path: z.string(),
    type: z.enum(['file', 'directory', 'symlink']),
    entries_removed: z
      .number()
      .int()
      .describe('Files, links and directories removed, including the path itself'),
  }),
);
export type DeleteFileOutput = z.infer<ReturnType<typeof DeleteFileOutputSchema>>;

async function collect(dir: string, into: string[]): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    into.push(path);
    if (into.length > DELETE_MAX_ENTRIES) return;
    if (entry.isDirectory()) await collect(path, into);
  }
}

export async function deleteFile(input: DeleteFileInput, deps: FsToolDeps): Promise<DeleteFileOutput> {
  const { confinement, access } = deps;
  const target = confinement.resolve(input.path, { finalSymlink: 'self' });
  const shown = confinement.display(target.real);
  if (!target.stats) throw new ToolError('NOT_FOUND', `'${shown}' does not exist`);
  if (target.real === target.root)
    throw new ToolError('INVALID_INPUT', 'the workspace root cannot be deleted');
  const { stats } = target;
  const type = stats.isSymbolicLink()
    ? 'symlink'
    : stats.isDirectory()
      ? 'directory'
      : stats.isFile()
        ? 'file'
        : undefined;
  if (type === undefined) {
    throw new ToolError(
      'PERMISSION_DENIED',
      `'${shown}' is ${kindOf(stats)}; delete_file removes files, directories and symlinks`,
    );
  }
  const paths = [target.real];
  if (type === 'directory') {
    await collect(target.real, paths);
    if (paths.length > 1 && input.recursive !== true) {
      throw new ToolError('CONFLICT', `'${shown}' is a directory that is not empty`, {
        hint: 'Pass recursive: true to delete it with everything in it.',
      });
    }
    if (paths.length > DELETE_MAX_ENTRIES) {
      throw new ToolError(
        'INVALID_INPUT',
        `'${shown}' holds more than ${DELETE_MAX_ENTRIES} entries; delete_file refuses that much at once`,
        {
          hint: 'Delete its subdirectories one at a time.',
        },
      );
    }
  }
  await access.authorize({ tool: 'delete_file', operation: 'write', paths });
  access.recordTargets([target.real]);
  try {
    if (type === 'directory') {
      if (paths.length === 1) await rmdir(target.real);
      else await rm(target.real, { recursive: true });
    } else {
      await unlink(target.real);
    }
  } catch (error) {
    if (errnoOf(error) === 'ENOENT')
      throw new ToolError('NOT_FOUND', `'${shown}' was removed by something else meanwhile`);
    throw error;
  }
  return { path: shown, type, entries_removed: paths.length };
}
