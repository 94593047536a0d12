/**
 * bubblewrap (bwrap), the sandbox shell commands run in: a read-only view of `/`, the workspace roots
 * writable, a private /tmp, AZ-OS's data and the usual credential stores hidden, no network unless the policy
 * allows it, its own PID namespace (every process in it dies with it), a new session (no TIOCSTI into the
 * caller's terminal), death with its parent, and a non-root uid where user namespaces allow one.
 *
 * Security: presence is not enough — whether bwrap WORKS here (user namespaces may be disabled, seccomp may
 * block it in a container) is found out by running a real sandbox once, with the flags commands will get.
 */
import { accessSync, constants, existsSync, lstatSync, realpathSync, statSync } from 'node:fs';
import { delimiter, join, sep } from 'node:path';

export interface BubblewrapProbe {
  ok: boolean;
  /** Absolute path of bwrap, when found. */
  path?: string | undefined;
  version?: string | undefined;
  /** Commands run in a user namespace (as `uid` inside). */
  userNamespace: boolean;
  /** The uid commands see inside (65534, nobody, when AZ-OS runs as root). */
  uid?: number | undefined;
  /** Why it does not work, when it does not. */
  reason?: string | undefined;
}

export interface SandboxLayout {
  /** Directories commands may write (the workspace roots). */
  writable: readonly string[];
  /** Paths made invisible (empty tmpfs over directories, /dev/null over files); missing ones are skipped. */
  hidden: readonly string[];
  /** Paths inside writable roots kept read-only (a repository's hooks and config); missing ones are skipped. */
  readOnly: readonly string[];
  network: boolean;
  cwd: string;
}

const PROBE_TIMEOUT_MS = 5000;

export function findExecutable(name: string, env: Record<string, string | undefined>): string | undefined {
  const dirs = (env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(delimiter).filter(Boolean);
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

function depth(path: string): number {
  return path.split(sep).filter(Boolean).length;
}

/** The bwrap arguments (before `--`) for one command. */
export function bubblewrapArgs(probe: BubblewrapProbe, layout: SandboxLayout): string[] {
  const args = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc'];
  // Later mounts cover earlier ones, so mount outer paths first: /tmp before a workspace under /tmp, a hidden
  // AZ_HOME before a workspace inside it, a workspace before the hidden or read-only paths inside it.
  type Mount = { path: string; order: number; args: string[] };
  const mounts: Mount[] = [{ path: '/tmp', order: 0, args: ['--tmpfs', '/tmp'] }];
  for (const hidden of layout.hidden) {
    if (!existsSync(hidden)) continue;
    const path = realpathSync(hidden);
    const isDirectory = statSync(path).isDirectory();
    mounts.push({
      path,
      order: 1,
      args: isDirectory ? ['--tmpfs', path] : ['--ro-bind', '/dev/null', path],
    });
  }
  for (const path of layout.writable) mounts.push({ path, order: 2, args: ['--bind', path, path] });
  for (const path of layout.readOnly) {
    // A symlink here could point the bind anywhere; only real directories and files are protected this way.
    const stats = lstatSync(path, { throwIfNoEntry: false });
    if (stats && !stats.isSymbolicLink()) mounts.push({ path, order: 3, args: ['--ro-bind', path, path] });
  }
  mounts.sort((a, b) => depth(a.path) - depth(b.path) || a.order - b.order);
  for (const mount of mounts) args.push(...mount.args);
  args.push('--unshare-all');
  if (layout.network) args.push('--share-net');
  if (probe.userNamespace) {
    args.push('--unshare-user');
    if (probe.uid !== undefined) args.push('--uid', String(probe.uid), '--gid', String(probe.uid));
  }
  args.push('--die-with-parent', '--new-session', '--chdir', layout.cwd);
  return args;
}

async function tryRun(path: string, probe: BubblewrapProbe): Promise<string | undefined> {
  const layout: SandboxLayout = { writable: [], hidden: [], readOnly: [], network: false, cwd: '/' };
  const { execa } = await import('execa');
  const result = await execa(path, [...bubblewrapArgs(probe, layout), '--', '/bin/sh', '-c', 'id -u'], {
    reject: false,
    timeout: PROBE_TIMEOUT_MS,
    stdin: 'ignore',
    extendEnv: false,
    env: { PATH: '/usr/bin:/bin' },
  });
  if (result.exitCode === 0) return undefined;
  const message = String(result.stderr || result.stdout || result.shortMessage)
    .trim()
    .split('\n')[0];
  return message || `exit code ${String(result.exitCode)}`;
}

/** Finds bwrap and checks it really sandboxes a command here; tries a user namespace first. */
export async function probeBubblewrap(env: Record<string, string | undefined>): Promise<BubblewrapProbe> {
  const path = findExecutable('bwrap', env);
  if (!path) {
    return { ok: false, userNamespace: false, reason: 'bwrap (bubblewrap) is not installed' };
  }
  const { execa } = await import('execa');
  const version = await execa(path, ['--version'], { reject: false, timeout: PROBE_TIMEOUT_MS }).then(
    result => String(result.stdout).trim() || undefined,
  );
  const root = process.getuid?.() === 0;
  const candidates: BubblewrapProbe[] = [
    { ok: true, path, version, userNamespace: true, ...(root ? { uid: 65534 } : {}) },
    { ok: true, path, version, userNamespace: false },
  ];
  const reasons: string[] = [];
  for (const candidate of candidates) {
    const failure = await tryRun(path, candidate);
    if (failure === undefined) return candidate;
    reasons.push(`${candidate.userNamespace ? 'with' : 'without'} a user namespace: ${failure}`);
  }
  return {
    ok: false,
    path,
    version,
    userNamespace: false,
    reason: `bwrap does not work here (${reasons.join('; ')})`,
  };
}
