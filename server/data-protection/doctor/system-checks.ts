/** Doctor checks of the machine: Node, the home folder and its token, free disk, bubblewrap. */
import { existsSync, statSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DoctorCheck } from '../../../protocol/tools/data-tools.js';
import { probeBubblewrap } from '../../../tools/sandbox/bubblewrap.js';
import { fail, ok, skip, warn, type DoctorContext } from './doctor-check.js';

const MIN_NODE: [number, number] = [20, 19];
const NEWEST_TESTED_MAJOR = 24;

export function checkNode(version = process.versions.node): DoctorCheck[] {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const title = 'Node.js';
  if (major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1])) {
    return [
      fail(
        'node',
        title,
        `Node ${version} is too old`,
        'Install Node 20.19 or newer (20 to 24 are supported).',
      ),
    ];
  }
  if (major > NEWEST_TESTED_MAJOR) {
    return [
      warn(
        'node',
        title,
        `Node ${version} is newer than AZ-OS is tested with (20 to 24)`,
        'Use Node 24 if anything misbehaves.',
      ),
    ];
  }
  return [ok('node', title, `Node ${version}`)];
}

function modeText(mode: number): string {
  return (mode & 0o777).toString(8).padStart(4, '0');
}

export function checkHome({ paths }: DoctorContext): DoctorCheck[] {
  const title = 'AZ_HOME permissions';
  if (!existsSync(paths.home)) {
    return [fail('home', title, `${paths.home} does not exist`, 'Run `az db init` to create it.')];
  }
  const stats = statSync(paths.home);
  if (!stats.isDirectory())
    return [fail('home', title, `${paths.home} is not a directory`, 'Move it away, then run `az db init`.')];
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) {
    return [
      warn(
        'home',
        title,
        `${paths.home} belongs to uid ${stats.uid}, not to you (${uid})`,
        `Run \`chown -R ${uid} ${paths.home}\` or use your own AZ_HOME.`,
      ),
    ];
  }
  const mode = stats.mode & 0o777;
  if ((mode & 0o022) !== 0) {
    return [
      fail(
        'home',
        title,
        `${paths.home} is writable by other users (mode ${modeText(mode)})`,
        `Run \`chmod 700 ${paths.home}\`.`,
      ),
    ];
  }
  if ((mode & 0o077) !== 0) {
    return [
      warn(
        'home',
        title,
        `other users can list ${paths.home} (mode ${modeText(mode)})`,
        `Run \`chmod 700 ${paths.home}\`.`,
      ),
    ];
  }
  return [ok('home', title, `${paths.home} (mode ${modeText(mode)})`)];
}

export function checkToken({ paths }: DoctorContext): DoctorCheck[] {
  const title = 'Token file';
  if (!existsSync(paths.tokenFile)) {
    return [fail('token', title, `${paths.tokenFile} does not exist`, 'Run `az db init` to create it.')];
  }
  const mode = statSync(paths.tokenFile).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    return [
      fail(
        'token',
        title,
        `${paths.tokenFile} may be read by other users (mode ${modeText(mode)})`,
        `Run \`chmod 600 ${paths.tokenFile}\`.`,
      ),
    ];
  }
  return [ok('token', title, `${paths.tokenFile} (mode ${modeText(mode)})`)];
}

const MiB = 1024 * 1024;
export const DISK_FAIL_BYTES = 100 * MiB;
export const DISK_WARN_BYTES = 1024 * MiB;

export function checkDisk({ paths }: DoctorContext): DoctorCheck[] {
  const title = 'Free disk';
  let probe = paths.home;
  while (!existsSync(probe) && dirname(probe) !== probe) probe = dirname(probe);
  const stats = statfsSync(probe);
  const free = stats.bavail * stats.bsize;
  const detail = `${(free / MiB).toFixed(0)} MiB free on the disk of ${paths.home}`;
  const fix = 'Free space there, prune old data (`az db prune`), or move AZ_HOME to a larger disk.';
  if (free < DISK_FAIL_BYTES) return [fail('disk', title, detail, fix)];
  if (free < DISK_WARN_BYTES) return [warn('disk', title, detail, fix)];
  return [ok('disk', title, detail)];
}

/**
 * How shell commands would run, by `security.sandbox`: the same bubblewrap probe the shell tools use (with the
 * flags commands get), judged by the mode — required and not working fails (commands are refused), preferred
 * and not working warns (commands run unsandboxed), off warns that nothing is sandboxed.
 */
export async function checkSandbox({ config, env }: DoctorContext): Promise<DoctorCheck[]> {
  const title = 'Sandbox (bubblewrap)';
  if (config instanceof Error) return [skip('sandbox', title, 'the configuration does not load')];
  const mode = config.config.security.sandbox;
  const enable = 'az config set security.sandbox required';
  if (mode === 'off') {
    return [
      warn(
        'sandbox',
        title,
        'security.sandbox is off: shell commands run WITHOUT a sandbox (workspace cwd, time limits and a scrubbed environment only)',
        `Install bubblewrap and turn the sandbox on: ${enable}`,
      ),
    ];
  }
  if (process.platform !== 'linux') {
    const detail = `bubblewrap is Linux-only; this is ${process.platform}`;
    return mode === 'required'
      ? [
          fail(
            'sandbox',
            title,
            `${detail}, and security.sandbox is required: shell commands are refused`,
            'az config set security.sandbox preferred',
          ),
        ]
      : [
          warn(
            'sandbox',
            title,
            `${detail}: shell commands run WITHOUT a sandbox`,
            'Run AZ-OS on Linux for a sandbox.',
          ),
        ];
  }
  const probe = await probeBubblewrap(env);
  if (probe.ok) {
    const identity = probe.userNamespace ? 'in a user namespace' : 'without a user namespace';
    return [
      ok('sandbox', title, `${probe.version ?? 'bwrap'} sandboxes commands here (${identity}); mode ${mode}`),
    ];
  }
  const reason = probe.reason ?? 'bubblewrap does not work here';
  const fix = probe.path
    ? 'Allow unprivileged user namespaces: `sudo sysctl kernel.unprivileged_userns_clone=1`; on Ubuntu 24.04+ also ' +
      '`sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0` (or an AppArmor profile for bwrap). In Docker, run with --security-opt seccomp=unconfined.'
    : 'Install it: `sudo apt-get install bubblewrap` (or ./scripts/install-system-deps.sh).';
  if (mode === 'preferred') {
    return [
      warn(
        'sandbox',
        title,
        `${reason}: shell commands run WITHOUT a sandbox (security.sandbox is preferred)`,
        fix,
      ),
    ];
  }
  return [
    fail('sandbox', title, `${reason}: shell commands are refused (security.sandbox is required)`, fix),
  ];
}
