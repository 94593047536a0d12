/**
 * Guards for paths and workspaces given to the checkpoint tools by models and users.
 *
 * Security: a restore writes files, so every path must name something inside the workspace: no absolute
 * paths elsewhere, no `..` escapes, nothing in a .git folder, no NUL. Workspaces that hold AZ_HOME (or are
 * inside its checkpoints) are refused, so a checkpoint never swallows the shadow repositories themselves.
 */
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, posix, relative, sep } from 'node:path';
import { AppError } from '../../protocol/errors.js';

function inside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function realOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path; // not created yet: compare the path as given
  }
}

/**
 * A workspace directory as its real path, refused when it cannot be checkpointed safely: the root, AZ_HOME or
 * a folder containing it, or anything inside AZ_HOME other than its task workspaces (AZ_HOME/workspaces).
 */
export function checkWorkspace(path: string, home: string, workspacesDir: string): string {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw new AppError('NOT_FOUND', `workspace ${path} does not exist`);
  }
  if (!statSync(real).isDirectory())
    throw new AppError('INVALID_INPUT', `workspace ${path} is not a directory`);
  const realHome = realOr(home);
  const realWorkspaces = realOr(workspacesDir);
  const taskWorkspace = inside(realWorkspaces, real) && real !== realWorkspaces;
  if (real === '/' || inside(real, realHome) || (inside(realHome, real) && !taskWorkspace)) {
    throw new AppError(
      'PERMISSION_DENIED',
      `${path} cannot be checkpointed: it is the root, AZ_HOME or a folder containing it, or lies in AZ_HOME`,
      { hint: 'Checkpoint a project folder (task workspaces under AZ_HOME/workspaces are fine).' },
    );
  }
  return real;
}

/** A path given for a partial restore, as a clean path relative to the workspace. */
export function workspaceRelativePath(workspace: string, given: string): string {
  if (given.includes('\0')) throw new AppError('INVALID_INPUT', 'paths must not contain NUL characters');
  const absolute = isAbsolute(given) ? given : `${workspace}${sep}${given}`;
  const rel = relative(workspace, absolute);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new AppError('PERMISSION_DENIED', `${given} is outside the workspace ${workspace}`);
  }
  const clean = posix.normalize(rel.split(sep).join('/'));
  if (clean === '' || clean === '.')
    throw new AppError(
      'INVALID_INPUT',
      'give a file or folder inside the workspace (omit paths to restore everything)',
    );
  if (clean.split('/').some(part => part.toLowerCase() === '.git')) {
    throw new AppError(
      'PERMISSION_DENIED',
      `${given} is inside a .git folder, which checkpoints never touch`,
    );
  }
  return clean;
}
