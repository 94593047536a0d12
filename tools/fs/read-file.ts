/** read_file: text of a confined regular file, by line range, capped in size, refusing binary files. */
import * as z from 'zod';
import type { FsToolDeps } from '../access.js';
import { ToolError } from '../errors.js';
import { requireRegularFile } from './confine.js';
import { readConfinedFile } from './safe-io.js';
import { countLines, cutUtf8, lineStarts, looksBinary } from './text.js';
import { lazySchema } from '../lazy-schema.js';

/** Bytes of content one call returns at most (the rest is reached with `offset`). */
export const READ_FILE_MAX_BYTES = 256 * 1024;
/** Larger files are not loaded at all (a model cannot use them whole; search or a shell command can). */
export const READ_FILE_MAX_FILE_BYTES = 64 * 1024 * 1024;

export const ReadFileInputSchema = lazySchema(() =>
  z.strictObject({
    path: z.string().describe('The file, relative to the workspace root (or absolute inside it)'),
    offset: z.number().int().min(1).optional().describe('First line to return, 1-based (default 1)'),
    limit: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .optional()
      .describe('How many lines to return (default: as many as fit in 256 KB)'),
  }),
);
export type ReadFileInput = z.infer<ReturnType<typeof ReadFileInputSchema>>;

export const ReadFileOutputSchema = lazySchema(() =>
  z.object({
    path: z.string(),
    content: z.string().describe('The lines, exactly as in the file'),
    start_line: z.number().int(),
    end_line: z.number().int().describe('Last line included (0 for an empty file)'),
    total_lines: z.number().int(),
    size_bytes: z.number().int(),
    truncated: z.boolean().describe('True when lines after end_line were not returned'),
    note: z.string().optional().describe('How to read the rest, when truncated'),
  }),
);
export type ReadFileOutput = z.infer<ReturnType<typeof ReadFileOutputSchema>>;

export async function readFile(
  input: ReadFileInput,
  deps: FsToolDeps,
  maxBytes = READ_FILE_MAX_BYTES,
): Promise<ReadFileOutput> {
  const { confinement, access } = deps;
  const target = confinement.resolve(input.path);
  const shown = confinement.display(target.real);
  requireRegularFile(target, shown);
  await access.authorize({ tool: 'read_file', operation: 'read', paths: [target.real] });
  access.recordTargets([target.real]);
  let buffer: Buffer;
  try {
    buffer = readConfinedFile(target.real, shown, confinement, READ_FILE_MAX_FILE_BYTES).data;
  } catch (error) {
    if (error instanceof ToolError && error.details?.limit === READ_FILE_MAX_FILE_BYTES) {
      throw new ToolError('INVALID_INPUT', `${error.message}: read_file does not load files that large`, {
        hint: 'Use search_files to find the part you need, or run_shell_command with head, tail or sed.',
      });
    }
    throw error;
  }
  if (looksBinary(buffer)) {
    throw new ToolError(
      'INVALID_INPUT',
      `'${shown}' is a binary file (${buffer.length} bytes); read_file returns text`,
      {
        hint: 'Inspect it with run_shell_command (file, xxd, strings) if you must.',
      },
    );
  }
  if (input.offset === undefined && input.limit === undefined && buffer.length <= maxBytes) {
    // The common case, the whole file within the cap: count lines on the bytes, no line table needed.
    const total = countLines(buffer);
    return {
      path: shown,
      total_lines: total,
      size_bytes: buffer.length,
      content: buffer.toString('utf8'),
      start_line: 1,
      end_line: total,
      truncated: false,
    };
  }
  const text = buffer.toString('utf8');
  const starts = text.length === 0 ? [] : lineStarts(text);
  const total = starts.length;
  const offset = input.offset ?? 1;
  const base = { path: shown, total_lines: total, size_bytes: buffer.length };
  if (total === 0) return { ...base, content: '', start_line: 1, end_line: 0, truncated: false };
  if (offset > total) {
    throw new ToolError('INVALID_INPUT', `offset ${offset} is past the end: '${shown}' has ${total} lines`);
  }
  const lastWanted = input.limit === undefined ? total : Math.min(total, offset + input.limit - 1);
  const startAt = starts[offset - 1] as number;
  const endOf = (line: number): number => (line < total ? (starts[line] as number) : text.length);
  let end = lastWanted;
  let content = text.slice(startAt, endOf(end));
  if (Buffer.byteLength(content, 'utf8') > maxBytes) {
    // Keep whole lines while they fit; a single line longer than the cap is cut.
    let bytes = 0;
    end = offset - 1;
    while (end < lastWanted) {
      const lineBytes = Buffer.byteLength(text.slice(starts[end] as number, endOf(end + 1)), 'utf8');
      if (bytes + lineBytes > maxBytes) break;
      bytes += lineBytes;
      end += 1;
    }
    if (end < offset) {
      return {
        ...base,
        content: cutUtf8(text.slice(startAt, endOf(offset)), maxBytes),
        start_line: offset,
        end_line: offset,
        truncated: true,
        note: `Line ${offset} is longer than ${maxBytes} bytes and was cut; use search_files or run_shell_command to see the rest of it.`,
      };
    }
    content = text.slice(startAt, endOf(end));
  }
  const truncated = end < total;
  return {
    ...base,
    content,
    start_line: offset,
    end_line: end,
    truncated,
    ...(truncated
      ? {
          note: `Showing lines ${offset}-${end} of ${total}; call read_file again with offset ${end + 1} for more.`,
        }
      : {}),
  };
}
