/**
 * move_file: rename or move a file, directory or symlink inside the workspace. A symlink is moved as a link,
 * never through to its target; an existing destination is replaced only with `overwrite`.
 */
import { mkdir, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as z from 'zod';
import type { FsToolDeps } from '../access.js';
import { ToolError, errnoOf } from '../errors.js';
import { isInside, kindOf, refuseHardLinks } from './confine.js';
import { lazySchema } from '../lazy-schema.js';

export const MoveFileInputSchema = lazySchema(() =>
  z.strictObject({
    source: z.string().describe('What to move, relative to the workspace root'),
    destination: z.string().describe('The new path, relative to the workspace root'),
    overwrite: z.boolean().optional().describe('Replace an existing destination file (default false)'),
  }),
);
export type MoveFileInput = z.infer<ReturnType<typeof MoveFileInputSchema>>;

export const MoveFileOutputSchema = lazySchema(() =>
  z.object({
    source: z.string(),
    destination: z.string(),
    replaced: z.boolean().describe('True when an existing destination file was replaced'),
  }),
);
export type MoveFileOutput = z.infer<ReturnType<typeof MoveFileOutputSchema>>;

export async function moveFile(input: MoveFileInput, deps: FsToolDeps): Promise<MoveFileOutput> {
  const { confinement, access } = deps;
  const source = confinement.resolve(input.source, { finalSymlink: 'self' });
  const from = confinement.display(source.real);
  if (!source.stats) throw new ToolError('NOT_FOUND', `'${from}' does not exist`);
  if (source.real === source.root) throw new ToolError('INVALID_INPUT', 'the workspace root cannot be moved');
  if (!source.stats.isFile() && !source.stats.isDirectory() && !source.stats.isSymbolicLink()) {
    throw new ToolError(
      'PERMISSION_DENIED',
      `'${from}' is ${kindOf(source.stats)}; move_file moves files, directories and symlinks`,
    );
  }
  const destination = confinement.resolve(input.destination, { finalSymlink: 'self' });
  const to = confinement.display(destination.real);
  if (destination.real === source.real)
    throw new ToolError('INVALID_INPUT', 'source and destination are the same');
  if (source.stats.isDirectory() && isInside(destination.real, source.real)) {
    throw new ToolError('INVALID_INPUT', `cannot move '${from}' into itself ('${to}')`);
  }
  if (destination.stats) {
    if (input.overwrite !== true) {
      throw new ToolError('CONFLICT', `'${to}' already exists`, {
        hint: 'Pass overwrite: true to replace it, or choose another name.',
      });
    }
    if (!destination.stats.isFile() || source.stats.isDirectory()) {
      throw new ToolError(
        'CONFLICT',
        `'${to}' is ${kindOf(destination.stats)}; only a file can be replaced by a file`,
      );
    }
    refuseHardLinks(destination.stats, to);
  }
  await access.authorize({ tool: 'move_file', operation: 'write', paths: [source.real, destination.real] });
  access.recordTargets([source.real, destination.real]);
  await mkdir(dirname(destination.real), { recursive: true });
  try {
    await rename(source.real, destination.real);
  } catch (error) {
    if (errnoOf(error) === 'EXDEV') {
      throw new ToolError(
        'TOOL_FAILED',
        `'${from}' and '${to}' are on different file systems; move_file cannot move between them`,
        {
          hint: 'Copy with write_file (or a shell command) and delete the original.',
        },
      );
    }
    throw error;
  }
  return { source: from, destination: to, replaced: destination.stats !== undefined };
}
