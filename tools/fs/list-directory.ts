/** list_directory: the entries of one confined directory, directories first. Symlinks are shown, not followed. */
import type { Dirent } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import type { FsToolDeps } from '../access.js';
import { ToolError } from '../errors.js';
import { kindOf } from './confine.js';
import { lazySchema } from '../lazy-schema.js';

export const LIST_DIRECTORY_MAX_ENTRIES = 1000;

export const ListDirectoryInputSchema = lazySchema(() =>
  z.strictObject({
    path: z
      .string()
      .optional()
      .describe("The directory, relative to the workspace root (default '.', the root)"),
  }),
);
export type ListDirectoryInput = z.infer<ReturnType<typeof ListDirectoryInputSchema>>;

export const EntrySchema = lazySchema(() =>
  z.object({
    name: z.string(),
    type: z.enum(['file', 'directory', 'symlink', 'other']),
    size: z.number().int().optional().describe('Bytes, for files'),
  }),
);

export const ListDirectoryOutputSchema = lazySchema(() =>
  z.object({
    path: z.string(),
    entries: z.array(EntrySchema()),
    total: z.number().int(),
    truncated: z.boolean(),
  }),
);
export type ListDirectoryOutput = z.infer<ReturnType<typeof ListDirectoryOutputSchema>>;

function typeOf(entry: Dirent): z.infer<ReturnType<typeof EntrySchema>>['type'] {
  if (entry.isDirectory()) return 'directory';
  if (entry.isFile()) return 'file';
  if (entry.isSymbolicLink()) return 'symlink';
  return 'other';
}

export async function listDirectory(
  input: ListDirectoryInput,
  deps: FsToolDeps,
): Promise<ListDirectoryOutput> {
  const { confinement, access } = deps;
  const target = confinement.resolve(input.path ?? '.');
  const shown = confinement.display(target.real);
  if (!target.stats) throw new ToolError('NOT_FOUND', `'${shown}' does not exist`);
  if (!target.stats.isDirectory()) {
    throw new ToolError('INVALID_INPUT', `'${shown}' is ${kindOf(target.stats)}, not a directory`, {
      hint: 'Use read_file for files.',
    });
  }
  await access.authorize({ tool: 'list_directory', operation: 'read', paths: [target.real] });
  access.recordTargets([target.real]);
  const dirents = await readdir(target.real, { withFileTypes: true });
  // Security: AZ-OS's own data inside a root is not even listed.
  const visible = dirents.filter(entry => confinement.allows(join(target.real, entry.name)));
  visible.sort((a, b) => {
    const byKind = Number(b.isDirectory()) - Number(a.isDirectory());
    return byKind !== 0 ? byKind : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
  const shownEntries = visible.slice(0, LIST_DIRECTORY_MAX_ENTRIES);
  const entries = await Promise.all(
    shownEntries.map(async entry => {
      const type = typeOf(entry);
      if (type !== 'file') return { name: entry.name, type };
      const size = await lstat(join(target.real, entry.name)).then(
        stats => stats.size,
        () => undefined,
      );
      return size === undefined ? { name: entry.name, type } : { name: entry.name, type, size };
    }),
  );
  return { path: shown, entries, total: visible.length, truncated: visible.length > shownEntries.length };
}
