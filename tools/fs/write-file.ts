/** write_file: create or replace a confined file atomically (temporary file, flush, rename). */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as z from 'zod';
import type { FsToolDeps } from '../access.js';
import { ToolError } from '../errors.js';
import { kindOf, refuseHardLinks } from './confine.js';
import { writeAtomic } from './safe-io.js';
import { lazySchema } from '../lazy-schema.js';

/** The largest content one call writes (bigger files are not something a model should type out). */
export const WRITE_FILE_MAX_BYTES = 4 * 1024 * 1024;

export const WriteFileInputSchema = lazySchema(() =>
  z.strictObject({
    path: z.string().describe('The file, relative to the workspace root (or absolute inside it)'),
    content: z.string().describe('The complete new content of the file (UTF-8)'),
    create_directories: z.boolean().optional().describe('Create missing parent directories (default true)'),
  }),
);
export type WriteFileInput = z.infer<ReturnType<typeof WriteFileInputSchema>>;

export const WriteFileOutputSchema = lazySchema(() =>
  z.object({
    path: z.string(),
    bytes_written: z.number().int(),
    created: z.boolean().describe('True when the file did not exist before'),
  }),
);
export type WriteFileOutput = z.infer<ReturnType<typeof WriteFileOutputSchema>>;

export async function writeFile(input: WriteFileInput, deps: FsToolDeps): Promise<WriteFileOutput> {
  const { confinement, access } = deps;
  const data = Buffer.from(input.content, 'utf8');
  if (data.length > WRITE_FILE_MAX_BYTES) {
    throw new ToolError(
      'INVALID_INPUT',
      `content is ${data.length} bytes; write_file writes up to ${WRITE_FILE_MAX_BYTES}`,
    );
  }
  const target = confinement.resolve(input.path);
  const shown = confinement.display(target.real);
  if (target.real === target.root) {
    throw new ToolError('INVALID_INPUT', `'${shown}' is the workspace root, not a file`);
  }
  if (target.stats) {
    if (!target.stats.isFile()) {
      throw new ToolError(
        target.stats.isDirectory() ? 'INVALID_INPUT' : 'PERMISSION_DENIED',
        `'${shown}' is ${kindOf(target.stats)}; write_file only replaces regular files`,
      );
    }
    refuseHardLinks(target.stats, shown);
  }
  await access.authorize({ tool: 'write_file', operation: 'write', paths: [target.real] });
  access.recordTargets([target.real]);
  if (!target.stats && input.create_directories !== false) {
    await mkdir(dirname(target.real), { recursive: true });
  }
  try {
    await writeAtomic(target.real, data, shown, confinement, {
      ...(target.stats ? { mode: target.stats.mode & 0o7777 } : {}),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ToolError('NOT_FOUND', `the directory of '${shown}' does not exist`, {
        hint: 'Pass create_directories: true, or create it first.',
      });
    }
    throw error;
  }
  return { path: shown, bytes_written: data.length, created: !target.stats };
}
