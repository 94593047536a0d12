/**
 * edit_file: exact search and replace in one confined file. The search text must occur exactly once (or
 * `replace_all` must be set), so an edit never lands somewhere the model did not look. Returns a diff.
 */
import * as z from 'zod';
import type { FsToolDeps } from '../access.js';
import { ToolError } from '../errors.js';
import { refuseHardLinks, requireRegularFile } from './confine.js';
import { unifiedDiff } from './diff.js';
import { readConfinedFile, writeAtomic } from './safe-io.js';
import { looksBinary } from './text.js';
import { WRITE_FILE_MAX_BYTES } from './write-file.js';
import { lazySchema } from '../lazy-schema.js';

/** The diff returned is cut beyond this (the edit itself is complete). */
export const EDIT_DIFF_MAX_CHARS = 32 * 1024;

export const EditFileInputSchema = lazySchema(() =>
  z.strictObject({
    path: z.string().describe('The file, relative to the workspace root (or absolute inside it)'),
    old_text: z.string().min(1).describe('Exact text to find, including whitespace and indentation'),
    new_text: z.string().describe('Text to put in its place (may be empty to delete)'),
    replace_all: z
      .boolean()
      .optional()
      .describe('Replace every occurrence instead of requiring exactly one (default false)'),
  }),
);
export type EditFileInput = z.infer<ReturnType<typeof EditFileInputSchema>>;

export const EditFileOutputSchema = lazySchema(() =>
  z.object({
    path: z.string(),
    replacements: z.number().int(),
    diff: z.string().describe('Unified diff of the change'),
    lines_added: z.number().int(),
    lines_removed: z.number().int(),
  }),
);
export type EditFileOutput = z.infer<ReturnType<typeof EditFileOutputSchema>>;

function countOccurrences(text: string, search: string): number {
  let count = 0;
  for (let index = text.indexOf(search); index !== -1; index = text.indexOf(search, index + search.length)) {
    count += 1;
  }
  return count;
}

export async function editFile(input: EditFileInput, deps: FsToolDeps): Promise<EditFileOutput> {
  const { confinement, access } = deps;
  const target = confinement.resolve(input.path);
  const shown = confinement.display(target.real);
  const stats = requireRegularFile(target, shown);
  refuseHardLinks(stats, shown);
  if (input.old_text === input.new_text) {
    throw new ToolError('INVALID_INPUT', 'old_text and new_text are the same; there is nothing to change');
  }
  await access.authorize({ tool: 'edit_file', operation: 'write', paths: [target.real] });
  access.recordTargets([target.real]);
  const buffer = readConfinedFile(target.real, shown, confinement, WRITE_FILE_MAX_BYTES).data;
  if (looksBinary(buffer)) {
    throw new ToolError('INVALID_INPUT', `'${shown}' is a binary file; edit_file edits text`);
  }
  const before = buffer.toString('utf8');
  const count = countOccurrences(before, input.old_text);
  if (count === 0) {
    throw new ToolError('NOT_FOUND', `old_text was not found in '${shown}'`, {
      hint: 'Read the file again (read_file) and copy the text exactly, including whitespace and line breaks.',
    });
  }
  if (count > 1 && input.replace_all !== true) {
    throw new ToolError(
      'CONFLICT',
      `old_text occurs ${count} times in '${shown}'; the edit would be ambiguous`,
      {
        hint: 'Include more surrounding lines in old_text so it occurs once, or set replace_all: true.',
        details: { occurrences: count },
      },
    );
  }
  const after =
    input.replace_all === true
      ? before.split(input.old_text).join(input.new_text)
      : before.replace(input.old_text, () => input.new_text);
  const data = Buffer.from(after, 'utf8');
  if (data.length > WRITE_FILE_MAX_BYTES) {
    throw new ToolError(
      'INVALID_INPUT',
      `the edited file would be ${data.length} bytes; the limit is ${WRITE_FILE_MAX_BYTES}`,
    );
  }
  await writeAtomic(target.real, data, shown, confinement, { mode: stats.mode & 0o7777 });
  const { diff, added, removed } = unifiedDiff(before, after, shown);
  return {
    path: shown,
    replacements: input.replace_all === true ? count : 1,
    diff:
      diff.length > EDIT_DIFF_MAX_CHARS
        ? `${diff.slice(0, EDIT_DIFF_MAX_CHARS)}\n[diff cut at ${EDIT_DIFF_MAX_CHARS} characters]\n`
        : diff,
    lines_added: added,
    lines_removed: removed,
  };
}
