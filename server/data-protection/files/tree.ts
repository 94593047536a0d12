/**
 * Listing a data folder (Chroma, checkpoints) for a backup: regular files only, depth-first, in a stable order.
 * Security: symbolic links and special files are skipped, never followed — a link inside AZ_HOME must not pull
 * files from elsewhere on the machine into a backup.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface TreeFile {
  /** Relative to the listed root, with '/' separators. */
  relative: string;
  absolute: string;
  size: number;
}

export interface TreeListing {
  files: TreeFile[];
  /** Relative paths of links and special files that were left out. */
  skipped: string[];
}

export function listTree(root: string): TreeListing {
  const listing: TreeListing = { files: [], skipped: [] };
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const absolute = join(dir, entry.name);
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(absolute, relative);
      else if (entry.isFile()) listing.files.push({ relative, absolute, size: lstatSync(absolute).size });
      else listing.skipped.push(relative);
    }
  };
  walk(root, '');
  return listing;
}

/**
 * Git repositories are copied references first: objects are written before any ref names them and are never
 * rewritten, so refs copied early only name objects the later copy also holds.
 */
export function gitSafeOrder(files: readonly TreeFile[]): TreeFile[] {
  const rank = (file: TreeFile): number =>
    /(^|\/)(HEAD|packed-refs)$/.test(file.relative) || /(^|\/)refs\//.test(file.relative) ? 0 : 1;
  return [...files].sort((a, b) => rank(a) - rank(b));
}
