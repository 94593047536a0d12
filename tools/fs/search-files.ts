/**
 * search_files: regex search through the text files under a confined directory, like a small ripgrep that
 * runs in-process (no command line, so nothing to inject into). Honours .gitignore, skips binary, huge and
 * protected files (counted), and is bounded by a result cap and a time limit that also stops runaway regexes.
 */
import * as z from 'zod';
import type { FsToolDeps } from '../access.js';
import { ToolError } from '../errors.js';
import { kindOf } from './confine.js';
import { FIND_FILES_MAX_RESULTS, WALK_MAX_ENTRIES } from './find-files.js';
import { compileGlob, compileSearchPattern, globTooSlow, matchLines, regexTooSlow } from './regex-runner.js';
import { readConfinedFile } from './safe-io.js';
import { looksBinary } from './text.js';
import { walk, type WalkEntry } from './walk.js';
import { lazySchema } from '../lazy-schema.js';

/** Files larger than this are skipped (generated or data files, not source). */
export const SEARCH_MAX_FILE_BYTES = 4 * 1024 * 1024;
/** Characters of a matching line returned. */
export const SEARCH_LINE_MAX_CHARS = 400;
const BATCH_FILES = 64;
const BATCH_BYTES = 4 * 1024 * 1024;

export const SearchFilesInputSchema = lazySchema(() =>
  z.strictObject({
    pattern: z
      .string()
      .min(1)
      .max(2000)
      .describe('JavaScript regular expression, matched per line (^ and $ are line ends)'),
    path: z
      .string()
      .optional()
      .describe("Directory (or single file) to search, relative to the workspace root (default '.')"),
    glob: z
      .string()
      .max(1000)
      .optional()
      .describe("Only files matching this glob, e.g. '*.ts' or 'src/**/*.py'"),
    ignore_case: z.boolean().optional().describe('Case-insensitive matching (default false)'),
    include_ignored: z
      .boolean()
      .optional()
      .describe('Also search files excluded by .gitignore (default false)'),
    max_results: z
      .number()
      .int()
      .min(1)
      .max(FIND_FILES_MAX_RESULTS)
      .optional()
      .describe('Matching lines returned at most (default 100)'),
    timeout_seconds: z.number().int().min(1).max(60).optional().describe('Time limit (default 20)'),
  }),
);
export type SearchFilesInput = z.infer<ReturnType<typeof SearchFilesInputSchema>>;

export const SearchMatchSchema = lazySchema(() =>
  z.object({
    path: z.string(),
    line: z.number().int(),
    text: z.string().describe('The matching line (cut to 400 characters)'),
  }),
);

export const SearchFilesOutputSchema = lazySchema(() =>
  z.object({
    matches: z.array(SearchMatchSchema()),
    files_searched: z.number().int(),
    files_skipped: z
      .number()
      .int()
      .describe('Binary, larger than 4 MB, or protected files that were not searched'),
    truncated: z.boolean(),
    note: z.string().optional(),
  }),
);
export type SearchFilesOutput = z.infer<ReturnType<typeof SearchFilesOutputSchema>>;

/** The line number and text of each offset (offsets ascending), counting newlines once per file. */
function linesAt(text: string, offsets: readonly number[]): { line: number; text: string }[] {
  const found: { line: number; text: string }[] = [];
  let line = 1;
  let position = 0;
  for (const offset of offsets) {
    for (
      let index = text.indexOf('\n', position);
      index !== -1 && index < offset;
      index = text.indexOf('\n', index + 1)
    ) {
      line += 1;
      position = index + 1;
    }
    const start = text.lastIndexOf('\n', offset - 1) + 1;
    const end = text.indexOf('\n', offset);
    const content = text.slice(start, end === -1 ? text.length : end).replace(/\r$/, '');
    found.push({
      line,
      text: content.length > SEARCH_LINE_MAX_CHARS ? `${content.slice(0, SEARCH_LINE_MAX_CHARS)}…` : content,
    });
  }
  return found;
}

export async function searchFiles(input: SearchFilesInput, deps: FsToolDeps): Promise<SearchFilesOutput> {
  const { confinement, access } = deps;
  const regex = compileSearchPattern(input.pattern, input.ignore_case === true);
  const globMatch = input.glob === undefined ? undefined : compileGlob(input.glob);
  const base = confinement.resolve(input.path ?? '.');
  const shown = confinement.display(base.real);
  if (!base.stats) throw new ToolError('NOT_FOUND', `'${shown}' does not exist`);
  if (!base.stats.isDirectory() && !base.stats.isFile()) {
    throw new ToolError(
      'PERMISSION_DENIED',
      `'${shown}' is ${kindOf(base.stats)}; search_files reads files and directories`,
    );
  }
  await access.authorize({ tool: 'search_files', operation: 'read', paths: [base.real] });
  access.recordTargets([base.real]);
  const limit = input.max_results ?? 100;
  const deadline = Date.now() + (input.timeout_seconds ?? 20) * 1000;
  const matches: z.infer<ReturnType<typeof SearchMatchSchema>>[] = [];
  let searched = 0;
  let skipped = 0;
  let batch: { real: string; text: string }[] = [];
  let batchBytes = 0;

  const flush = (): void => {
    if (batch.length === 0 || matches.length >= limit) {
      batch = [];
      batchBytes = 0;
      return;
    }
    const texts = batch.map(file => file.text);
    const offsets = deps.bounded.run(
      () => matchLines(regex, texts, limit - matches.length),
      deadline,
      regexTooSlow,
    );
    batch.forEach((file, index) => {
      const path = confinement.display(file.real);
      for (const found of linesAt(file.text, offsets[index] ?? [])) matches.push({ path, ...found });
    });
    batch = [];
    batchBytes = 0;
  };

  const consider = async (real: string): Promise<boolean> => {
    if (!access.readableWithoutAsking(real)) {
      skipped += 1;
      return false;
    }
    let buffer: Buffer;
    try {
      buffer = readConfinedFile(real, confinement.display(real), confinement, SEARCH_MAX_FILE_BYTES).data;
    } catch {
      // Too large, not a regular file (any more), or unreadable: skipped and counted.
      skipped += 1;
      return false;
    }
    if (looksBinary(buffer)) {
      skipped += 1;
      return false;
    }
    searched += 1;
    batch.push({ real, text: buffer.toString('utf8') });
    batchBytes += buffer.length;
    if (batch.length >= BATCH_FILES || batchBytes >= BATCH_BYTES) flush();
    return matches.length >= limit;
  };

  // Security: a glob is a regex underneath; candidates are filtered in bounded batches.
  let candidates: WalkEntry[] = [];
  const considerCandidates = async (): Promise<boolean> => {
    const chosen = candidates;
    candidates = [];
    const keep = globMatch
      ? deps.bounded.run(() => chosen.map(entry => globMatch(entry.relative)), deadline, globTooSlow)
      : chosen.map(() => true);
    for (const [index, entry] of chosen.entries()) {
      if (keep[index] && (await consider(entry.real))) return true;
    }
    return false;
  };

  let incomplete: string | undefined;
  if (base.stats.isFile()) {
    await consider(base.real);
  } else {
    const result = await walk(
      {
        base: base.real,
        confinement,
        respectGitignore: input.include_ignored !== true,
        maxEntries: WALK_MAX_ENTRIES,
        deadline,
        signal: deps.signal,
        bounded: deps.bounded,
      },
      async entry => {
        if (entry.kind !== 'file') return;
        candidates.push(entry);
        return candidates.length >= BATCH_FILES ? considerCandidates() : undefined;
      },
    );
    if (candidates.length > 0 && matches.length < limit) await considerCandidates();
    if (result.incomplete) incomplete = result.reason === 'deadline' ? 'time limit' : 'too many files';
  }
  flush();
  const capped = matches.length >= limit;
  const note = capped
    ? `Only the first ${limit} matching lines are listed; narrow the pattern, path or glob.`
    : incomplete
      ? `The search stopped early (${incomplete}); narrow the path or glob.`
      : undefined;
  return {
    matches: matches.slice(0, limit),
    files_searched: searched,
    files_skipped: skipped,
    truncated: capped || incomplete !== undefined,
    ...(note ? { note } : {}),
  };
}
