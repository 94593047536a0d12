/**
 * Where file and shell tools may work, and what inside those places they may never touch.
 *
 * - The agent working on a task (ToolContext.scope): that task's workspace, nothing else.
 * - Outside clients: security.roots; when empty, tasks.workspace_root, else AZ_HOME/workspaces.
 *
 * Security: AZ-OS's own data — the home with its token, database, key files and config (and, under a profile,
 * the base home with the other profiles), and a database key file kept elsewhere (AZ_DB_KEY_FILE) — is
 * forbidden even when a root contains it, except the workspace directories inside the home. Sandboxed shell
 * commands do not see any of it (hiddenPaths).
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { ForbiddenArea } from '../../tools/fs/confine.js';
import type { Core } from '../core.js';
import { KEY_FILE_ENV } from '../data-protection/encryption/database-key.js';
import type { TaskScope } from '../mcp/tool-definition.js';

function expandHome(path: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/')) return join(homedir(), path.slice(2));
  return path;
}

export function rootsFor(core: Core, scope: TaskScope | undefined): string[] {
  if (scope) return [scope.workspace];
  const { security, tasks } = core.config().config;
  if (security.roots.length > 0) {
    return security.roots.map(root =>
      resolve(isAbsolute(expandHome(root)) ? expandHome(root) : resolve(core.paths.home, root)),
    );
  }
  return [tasks.workspace_root ?? core.paths.workspacesDir];
}

const AZ_DATA = 'AZ-OS data (its tokens, database, audit key and configuration)';

export function forbiddenAreas(core: Core, scope: TaskScope | undefined): ForbiddenArea[] {
  const { tasks } = core.config().config;
  const except = [
    core.paths.workspacesDir,
    ...(tasks.workspace_root ? [tasks.workspace_root] : []),
    ...(scope ? [scope.workspace] : []),
  ];
  const areas: ForbiddenArea[] = [{ path: core.paths.home, reason: AZ_DATA, except }];
  if (core.paths.profile !== 'default') {
    // HOME/profiles/NAME: the base home holds the default profile's data and the other profiles.
    areas.push({ path: dirname(dirname(core.paths.home)), reason: AZ_DATA, except });
  }
  // The database key may live outside the home (AZ_DB_KEY_FILE, e.g. on another volume): it is AZ-OS data too.
  const keyFile = core.env[KEY_FILE_ENV];
  if (keyFile) areas.push({ path: resolve(expandHome(keyFile)), reason: 'the database key of AZ-OS' });
  return areas;
}

/** Host paths sandboxed commands never see: AZ-OS data and the usual credential stores. */
export function hiddenPaths(core: Core): string[] {
  const home = homedir();
  const credentials = [
    '.ssh',
    '.aws',
    '.gnupg',
    '.kube',
    '.docker',
    '.azure',
    '.config/gcloud',
    '.config/gh',
    '.netrc',
    '.git-credentials',
    '.npmrc',
    '.pypirc',
  ];
  const areas = forbiddenAreas(core, undefined).map(area => area.path);
  return [
    ...areas,
    ...credentials.map(name => join(home, name)),
    ...core.config().config.security.hidden_paths.map(expandHome),
  ];
}

/**
 * The usable sub-trees of forbidden areas (AZ_HOME/workspaces…) that lie inside `roots`: a sandbox that hides
 * the forbidden area mounts these back, so commands reach exactly what the file tools reach.
 */
export function reopenedPaths(core: Core, scope: TaskScope | undefined, roots: readonly string[]): string[] {
  const inside = (path: string, root: string): boolean => path === root || path.startsWith(`${root}/`);
  return forbiddenAreas(core, scope)
    .flatMap(area => area.except ?? [])
    .map(path => resolve(path))
    .filter(path => roots.some(root => inside(path, root) && path !== root) && existsSync(path));
}
