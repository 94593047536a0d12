/**
 * A temp AZ_HOME with a workspace root (AZ_HOME/workspaces, the default root of outside clients) and an
 * "outside" directory beside it full of bait, plus snapshots to prove that nothing outside changed.
 */
import { createHash } from 'node:crypto';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface WorkspaceHome {
  base: string;
  home: string;
  workspace: string;
  outside: string;
  env: Record<string, string | undefined>;
  cleanup(): void;
}

export function createWorkspaceHome(prefix = 'az-tools-'): WorkspaceHome {
  const base = mkdtempSync(join(tmpdir(), prefix));
  const home = join(base, 'home');
  const workspace = join(home, 'workspaces');
  const outside = join(base, 'outside');
  mkdirSync(workspace, { recursive: true });
  mkdirSync(join(outside, 'dir'), { recursive: true });
  writeFileSync(join(outside, 'secret.txt'), 'outside secret\n');
  writeFileSync(join(outside, 'dir', 'file.txt'), 'outside file\n');
  const env: Record<string, string | undefined> = {
    ...process.env,
    AZ_HOME: home,
    AZ_URL: undefined,
    AZ_TOKEN: undefined,
  };
  for (const key of Object.keys(env)) {
    if (key.startsWith('AZ_') && key !== 'AZ_HOME') delete env[key];
  }
  // As in temp-home.ts: a queued task must not start a background server for this temp home.
  env.AZ_TASKS_AUTOSTART_DAEMON = 'false';
  env.AZ_TASKS_PAUSED = 'true';
  return {
    base,
    home,
    workspace,
    outside,
    env,
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}

/** Every entry under `dir` (not following symlinks) with its type and content digest. */
export function snapshot(dir: string): Record<string, string> {
  const result: Record<string, string> = {};
  const walk = (path: string, rel: string): void => {
    const stats = lstatSync(path);
    if (stats.isSymbolicLink()) result[rel] = `link:${readlinkSync(path)}`;
    else if (stats.isDirectory()) {
      result[rel] = `dir:${stats.mode.toString(8)}`;
      for (const name of readdirSync(path).sort()) walk(join(path, name), `${rel}/${name}`);
    } else if (stats.isFile()) {
      result[rel] =
        `file:${stats.mode.toString(8)}:${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
    } else result[rel] = `special:${stats.mode.toString(8)}`;
  };
  walk(dir, '.');
  return result;
}
