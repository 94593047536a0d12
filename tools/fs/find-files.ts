/**
 * find_files: paths under a confined directory whose path matches a glob. Honours .gitignore, never enters
 * .git or follows symlinks, and stops at a result cap and a deadline.
 */
import * as z from 'zod';
import type { FsToolDeps } from '../access.js';
import { ToolError } from '../errors.js';
import { kindOf } from './confine.js';
import { compileGlob, globTooSlow } from './regex-runner.js';
import { walk, type WalkEntry } from './walk.js';
import { lazySchema } from '../lazy-schema.js';

export const FIND_FILES_MAX_RESULTS = 1000;
/** Entries a walk visits at most, whatever matches. */
export const WALK_MAX_ENTRIES = 200_000;
export const WALK_DEADLINE_MS = 20_000;
/** Paths matched against the glob per bounded call. */
const MATCH_BATCH = 256;

export const FindFilesInputSchema = lazySchema(() =>
  z.strictObject({
    pattern: z
      .string()
      .min(1)
      .max(1000)
      .describe(
        "Glob such as '**/*.ts' or 'src/**/test_*.py'; a pattern without '/' matches names at any depth",
      ),
    path: z
      .string()
      .optional()
      .describe("Directory to search in, relative to the workspace root (default '.')"),
    include_ignored: z
      .boolean()
      .optional()
      .describe('Also return files excluded by .gitignore (default false)'),
    include_directories: z.boolean().optional().describe('Also return matching directories (default false)'),
    max_results: z.number().int().min(1).max(FIND_FILES_MAX_RESULTS).optional().describe('Default 200'),
    timeout_seconds: z.number().int().min(1).max(60).optional().describe('Time limit (default 20)'),
  }),
);
export type FindFilesInput = z.infer<ReturnType<typeof FindFilesInputSchema>>;

export const FindFilesOutputSchema = lazySchema(() =>
  z.object({
    files: z.array(z.string()).describe('Matching paths, relative to the workspace root'),
    truncated: z
      .boolean()
      .describe('True when more matches exist than were returned, or the walk stopped early'),
    note: z.string().optional(),
  }),
);
export type FindFilesOutput = z.infer<ReturnType<typeof FindFilesOutputSchema>>;

export async function findFiles(input: FindFilesInput, deps: FsToolDeps): Promise<FindFilesOutput> {
  const { confinement, access } = deps;
  const base = confinement.resolve(input.path ?? '.');
  const shown = confinement.display(base.real);
  if (!base.stats) throw new ToolError('NOT_FOUND', `'${shown}' does not exist`);
  if (!base.stats.isDirectory()) {
    throw new ToolError('INVALID_INPUT', `'${shown}' is ${kindOf(base.stats)}, not a directory`);
  }
  await access.authorize({ tool: 'find_files', operation: 'read', paths: [base.real] });
  access.recordTargets([base.real]);
  const matches = compileGlob(input.pattern);
  const deadline = Date.now() + (input.timeout_seconds ?? WALK_DEADLINE_MS / 1000) * 1000;
  const limit = input.max_results ?? 200;
  const files: string[] = [];
  let more = false;
  let pending: WalkEntry[] = [];
  // Security: a glob is a regex underneath; it is matched in bounded batches, never unbounded on the event loop.
  const flush = (): boolean => {
    const batch = pending;
    pending = [];
    const hits = deps.bounded.run(() => batch.map(entry => matches(entry.relative)), deadline, globTooSlow);
    batch.forEach((entry, index) => {
      if (!hits[index]) return;
      if (files.length >= limit) more = true;
      else files.push(confinement.display(entry.real));
    });
    return more;
  };
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
    entry => {
      if (entry.kind === 'directory' && input.include_directories !== true) return;
      pending.push(entry);
      return pending.length >= MATCH_BATCH ? flush() : undefined;
    },
  );
  if (pending.length > 0) flush();
  const truncated = more || result.incomplete;
  const note = more
    ? `Only the first ${limit} matches are listed; narrow the pattern or path.`
    : result.incomplete
      ? `The search stopped early (${result.reason === 'deadline' ? 'time limit' : 'too many entries'}); narrow the path.`
      : undefined;
  return { files, truncated, ...(note ? { note } : {}) };
}
