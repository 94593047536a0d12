/**
 * Confinement: every path a file or shell tool touches is resolved here, and only a path whose REAL location
 * (every symlink resolved) lies inside one of the roots comes out. Tools then operate on that real path, never
 * on what the caller typed, so `..`, absolute paths, symlinks and symlinked parent directories cannot lead
 * outside.
 *
 * Security: the containment test is separator-aware (`/work/ws` does not contain `/work/ws-evil`); a path that
 * is outside lexically is refused before the disk is touched, so errors never reveal whether something
 * outside exists; dangling symlinks are refused (a write through one would create a file wherever it points);
 * NUL bytes and over-long paths are rejected; AZ-OS's own data is refused whatever the policy says.
 */
import { lstatSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { ToolError, errnoOf } from '../errors.js';

/** Linux PATH_MAX and NAME_MAX: longer input is refused rather than truncated by the kernel. */
export const MAX_PATH_BYTES = 4096;
export const MAX_NAME_BYTES = 255;

export interface ForbiddenArea {
  path: string;
  /** Why, in a few words ("AZ-OS data: tokens, database and configuration"). */
  reason: string;
  /** Sub-trees that stay usable (AZ_HOME/workspaces inside AZ_HOME). */
  except?: readonly string[];
}

export interface ConfinementOptions {
  /** Absolute directories tools may use; the first is where relative paths start. */
  roots: readonly string[];
  /** Areas no tool may touch even inside a root. */
  forbidden?: readonly ForbiddenArea[];
}

export interface ResolveOptions {
  /**
   * `follow` (default): a symlink as the last component is resolved and its target must be inside.
   * `self`: the last component is taken as it is (delete or move the link itself, never its target).
   */
  finalSymlink?: 'follow' | 'self';
}

export interface ResolvedPath {
  /** The real absolute path; for a path that does not exist yet, its real parent plus the remaining names. */
  real: string;
  /** The root that contains it. */
  root: string;
  /** What is there now (lstat of `real`), or undefined when nothing is. */
  stats: Stats | undefined;
}

export interface Confinement {
  readonly roots: readonly string[];
  resolve(input: string, options?: ResolveOptions): ResolvedPath;
  /** How a path is shown to callers: relative to the first root when inside it, else absolute. */
  display(real: string): string;
  /** True when `real` (already a real path) is inside a root and not in a forbidden area. */
  allows(real: string): boolean;
}

/** Separator-aware containment: `parent` contains itself and everything below it, nothing beside it. */
export function isInside(child: string, parent: string): boolean {
  if (child === parent) return true;
  const prefix = parent.endsWith(sep) ? parent : parent + sep;
  return child.startsWith(prefix);
}

function realOrUndefined(path: string): string | undefined {
  try {
    return realpathSync.native(path);
  } catch {
    return undefined;
  }
}

/** Rejects input the kernel would refuse or misread: empty, NUL bytes, over-long paths or names. */
export function validatePathInput(input: string): void {
  if (input.length === 0) {
    throw new ToolError('INVALID_INPUT', 'the path is empty', {
      hint: "Use '.' for the workspace root, or a path relative to it.",
    });
  }
  if (input.includes('\0')) {
    throw new ToolError('INVALID_INPUT', 'the path contains a NUL byte, which no file name can hold');
  }
  const bytes = Buffer.byteLength(input, 'utf8');
  if (bytes > MAX_PATH_BYTES) {
    throw new ToolError('INVALID_INPUT', `the path is ${bytes} bytes long; the limit is ${MAX_PATH_BYTES}`);
  }
  for (const part of input.split(/[\\/]/)) {
    if (Buffer.byteLength(part, 'utf8') > MAX_NAME_BYTES) {
      throw new ToolError(
        'INVALID_INPUT',
        `the name '${part.slice(0, 40)}…' is longer than ${MAX_NAME_BYTES} bytes, the limit of a file name`,
      );
    }
  }
}

function outside(input: string, roots: readonly string[], why: string): ToolError {
  return new ToolError('PERMISSION_DENIED', `'${input}' is outside the workspace: ${why}`, {
    hint: `File and shell tools work only inside ${roots.join(', ')}. Use a path relative to it.`,
    details: { path: input, roots },
  });
}

export function createConfinement(options: ConfinementOptions): Confinement {
  const configured = options.roots.map(root => resolve(root));
  const roots: string[] = [];
  for (const root of configured) {
    // A root that is not a directory fails at its first use with a clear "not a directory".
    const real = realOrUndefined(root);
    if (real !== undefined && !roots.includes(real)) roots.push(real);
  }
  if (roots.length === 0) {
    throw new ToolError('UNAVAILABLE', `no workspace root exists (configured: ${configured.join(', ')})`, {
      hint: 'Create the directory, or set security.roots to directories that exist.',
    });
  }
  const primary = roots[0] as string;
  const forbidden = (options.forbidden ?? []).map(area => ({
    ...area,
    real: realOrUndefined(area.path) ?? resolve(area.path),
    except: (area.except ?? []).map(path => realOrUndefined(path) ?? resolve(path)),
  }));
  const lexicalRoots = [...new Set([...configured, ...roots])];

  const rootOf = (real: string): string | undefined => roots.find(root => isInside(real, root));

  const checkForbidden = (real: string, input: string): void => {
    for (const area of forbidden) {
      if (isInside(real, area.real) && !area.except.some(keep => isInside(real, keep))) {
        // Security: AZ-OS's own data (tokens, database, config) is never reachable through tools.
        throw new ToolError('PERMISSION_DENIED', `'${input}' is ${area.reason}; tools may never touch it`, {
          hint: 'Nothing in the policy can allow this. Work on files in the workspace instead.',
          details: { path: input },
        });
      }
    }
  };

  const confine = (real: string, input: string, why: string): string => {
    const root = rootOf(real);
    if (root === undefined) throw outside(input, roots, why);
    checkForbidden(real, input);
    return root;
  };

  return {
    roots,

    resolve(input, resolveOptions = {}) {
      validatePathInput(input);
      const absolute = isAbsolute(input) ? normalize(input) : resolve(primary, input);
      // Security: refuse what is outside lexically before touching the disk, so the answer never depends on
      // (and never reveals) what exists outside the workspace.
      if (!lexicalRoots.some(root => isInside(absolute, root))) {
        throw outside(input, roots, isAbsolute(input) ? 'absolute path' : 'it climbs out with ..');
      }
      const keepFinal = resolveOptions.finalSymlink === 'self';
      // Find the deepest part of the path that exists; the rest will be created below it.
      let existing = keepFinal ? dirname(absolute) : absolute;
      const rest: string[] = keepFinal ? [basename(absolute)] : [];
      let found: Stats | undefined;
      for (;;) {
        try {
          found = lstatSync(existing);
          break;
        } catch (error) {
          const code = errnoOf(error);
          if (code === 'ENOENT' && dirname(existing) !== existing) {
            rest.unshift(basename(existing));
            existing = dirname(existing);
            continue;
          }
          if (code === 'ENOTDIR') {
            throw new ToolError('INVALID_INPUT', `'${input}': a parent of it is a file, not a directory`);
          }
          if (code === 'ELOOP') {
            throw new ToolError('PERMISSION_DENIED', `'${input}' goes through a symlink loop`);
          }
          if (code === 'EACCES') {
            throw new ToolError('PERMISSION_DENIED', `'${input}': the operating system denied access`);
          }
          throw error;
        }
      }
      let realExisting: string;
      try {
        realExisting = realpathSync.native(existing);
      } catch (error) {
        if (found.isSymbolicLink() && errnoOf(error) === 'ENOENT') {
          // Security: a dangling symlink is refused: writing through it would create a file wherever it points.
          throw new ToolError(
            'PERMISSION_DENIED',
            `'${input}' is or goes through a dangling symlink (its target does not exist)`,
            { hint: 'Delete the symlink or point it at a file inside the workspace.' },
          );
        }
        throw error;
      }
      if (rest.length > 0 && !statSync(realExisting).isDirectory()) {
        throw new ToolError('INVALID_INPUT', `'${input}': a parent of it is a file, not a directory`);
      }
      const real = rest.length > 0 ? join(realExisting, ...rest) : realExisting;
      const why =
        realExisting !== existing || (found.isSymbolicLink() && !keepFinal)
          ? 'it resolves through a symlink to a location outside'
          : 'absolute path';
      const root = confine(real, input, why);
      // The path exists and no symlink was involved: what was looked at is what is there.
      if (rest.length === 0 && realExisting === existing) return { real, root, stats: found };
      let stats: Stats | undefined;
      try {
        stats = lstatSync(real);
      } catch (error) {
        if (errnoOf(error) !== 'ENOENT') throw error;
      }
      return { real, root, stats };
    },

    display(real) {
      if (isInside(real, primary)) {
        const rel = relative(primary, real);
        return rel === '' ? '.' : rel.split(sep).join('/');
      }
      return real;
    },

    allows(real) {
      if (rootOf(real) === undefined) return false;
      return !forbidden.some(
        area => isInside(real, area.real) && !area.except.some(keep => isInside(real, keep)),
      );
    },
  };
}

/** A readable name for what a directory entry is, for refusals ("a FIFO", "a character device"). */
export function kindOf(stats: Stats): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isSymbolicLink()) return 'a symlink';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'a special file';
}

/** The path must exist and be a regular file (FIFOs, devices and sockets are refused: reading them can hang). */
export function requireRegularFile(path: ResolvedPath, shown: string): Stats {
  if (!path.stats) {
    throw new ToolError('NOT_FOUND', `'${shown}' does not exist`, {
      hint: 'Check the name with list_directory or find_files.',
    });
  }
  if (!path.stats.isFile()) {
    throw new ToolError(
      path.stats.isDirectory() ? 'INVALID_INPUT' : 'PERMISSION_DENIED',
      `'${shown}' is ${kindOf(path.stats)}, not a regular file`,
      path.stats.isDirectory() ? { hint: 'Use list_directory for directories.' } : {},
    );
  }
  return path.stats;
}

/**
 * Security: a file with several hard links shares its content with another name, possibly outside the
 * workspace (a hard link does not show where the other name is). Writing to it is refused.
 */
export function refuseHardLinks(stats: Stats, shown: string): void {
  if (stats.isFile() && stats.nlink > 1) {
    throw new ToolError(
      'PERMISSION_DENIED',
      `'${shown}' has ${stats.nlink} hard links; changing it is refused because another name, possibly outside ` +
        'the workspace, shares its content',
      { hint: 'Copy the file to a new name and work on the copy.' },
    );
  }
}
