/**
 * Walking a confined directory tree for find_files and search_files: depth first, names sorted, `.gitignore`
 * files honoured (nested ones too, with negation), `.git` never entered, symlinks never followed, forbidden
 * areas never listed, and bounded by an entry budget, a deadline and an abort signal.
 *
 * Security: .gitignore files are workspace content, so their patterns are matched in bounded batches (one per
 * directory) like any caller-supplied pattern.
 */
import type { Dirent } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { ToolError } from '../errors.js';
import { isInside, type Confinement } from './confine.js';
import type { BoundedRunner } from './regex-runner.js';

/** A .gitignore larger than this is not a real one; it is skipped. */
const MAX_GITIGNORE_BYTES = 256 * 1024;

export interface WalkOptions {
  /** The real directory to walk. */
  base: string;
  confinement: Confinement;
  respectGitignore: boolean;
  /** Stop after visiting this many entries (files and directories). */
  maxEntries: number;
  /** Epoch milliseconds after which the walk stops. */
  deadline: number;
  signal?: AbortSignal | undefined;
  bounded: BoundedRunner;
}

export interface WalkEntry {
  real: string;
  /** Relative to the walk's base, with '/' separators. */
  relative: string;
  kind: 'file' | 'directory';
}

export interface WalkResult {
  /** True when the walk stopped early (entry budget or deadline). */
  incomplete: boolean;
  reason?: 'entries' | 'deadline';
}

interface IgnoreLevel {
  dir: string;
  rules: Ignore;
}

async function loadGitignore(dir: string): Promise<IgnoreLevel | undefined> {
  try {
    const text = await readFile(join(dir, '.gitignore'), { encoding: 'utf8', flag: 'r' });
    if (text.length > MAX_GITIGNORE_BYTES) return undefined;
    return { dir, rules: ignore().add(text) };
  } catch {
    return undefined;
  }
}

function ignoredBy(levels: readonly IgnoreLevel[], real: string, isDirectory: boolean): boolean {
  let ignored = false;
  for (const level of levels) {
    const rel = relative(level.dir, real).split(sep).join('/');
    if (rel === '' || rel.startsWith('..')) continue;
    const verdict = level.rules.test(isDirectory ? `${rel}/` : rel);
    if (verdict.ignored) ignored = true;
    else if (verdict.unignored) ignored = false;
  }
  return ignored;
}

/** Yields files and directories below `base` (not `base` itself) in a stable order. */
export async function walk(
  options: WalkOptions,
  visit: (entry: WalkEntry) => boolean | void | Promise<boolean | void>,
): Promise<WalkResult> {
  const { base, confinement } = options;
  const root = confinement.roots.find(candidate => isInside(base, candidate)) ?? base;
  // .gitignore files between the root and the base apply too.
  const levels: IgnoreLevel[] = [];
  if (options.respectGitignore) {
    const chain: string[] = [];
    for (let dir = base; isInside(dir, root); dir = join(dir, '..')) {
      chain.unshift(dir);
      if (dir === root) break;
    }
    for (const dir of chain) {
      const level = await loadGitignore(dir);
      if (level) levels.push(level);
    }
  }
  const gitignoreTooSlow = (): ToolError =>
    new ToolError('TIMEOUT', 'matching .gitignore patterns took too long', {
      hint: 'A .gitignore in the workspace has a pathological pattern; pass include_ignored: true to skip them.',
    });
  let visited = 0;
  const descend = async (dir: string, inherited: readonly IgnoreLevel[]): Promise<WalkResult | undefined> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return undefined; // Unreadable or vanished: skip it, as find and git do.
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    let local = inherited;
    if (options.respectGitignore && dir !== base && entries.some(entry => entry.name === '.gitignore')) {
      const level = await loadGitignore(dir);
      if (level) local = [...inherited, level];
    }
    const candidates = entries.filter(
      // Security: symlinks are never followed, .git internals never listed.
      entry =>
        !entry.isSymbolicLink() &&
        !(entry.name === '.git' && entry.isDirectory()) &&
        (entry.isDirectory() || entry.isFile()) &&
        confinement.allows(join(dir, entry.name)),
    );
    if (Date.now() > options.deadline) return { incomplete: true, reason: 'deadline' };
    const ignored =
      local.length > 0
        ? options.bounded.run(
            () => candidates.map(entry => ignoredBy(local, join(dir, entry.name), entry.isDirectory())),
            options.deadline,
            gitignoreTooSlow,
          )
        : undefined;
    for (const [index, entry] of candidates.entries()) {
      if (options.signal?.aborted) throw new ToolError('CANCELLED', 'the request was cancelled');
      if (Date.now() > options.deadline) return { incomplete: true, reason: 'deadline' };
      if (visited >= options.maxEntries) return { incomplete: true, reason: 'entries' };
      if (ignored?.[index]) continue;
      const isDirectory = entry.isDirectory();
      const real = join(dir, entry.name);
      visited += 1;
      const stop = await visit({
        real,
        relative: relative(base, real).split(sep).join('/'),
        kind: isDirectory ? 'directory' : 'file',
      });
      if (stop === true) return { incomplete: false };
      if (isDirectory) {
        const result = await descend(real, local);
        if (result) return result;
      }
    }
    return undefined;
  };
  return (await descend(base, levels)) ?? { incomplete: false };
}
