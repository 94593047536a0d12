/**
 * How a shell command is launched: inside bubblewrap, or (only when the policy allows it) without a sandbox.
 * The command line is one argument to `bash -c` after `--`, never parsed or spliced into other arguments.
 * Both ways are wrapped in `setpriv --pdeathsig KILL` where available, so the launched process dies even if
 * the AZ-OS server is killed outright.
 */
import { existsSync } from 'node:fs';
import { ToolError } from '../errors.js';
import { bubblewrapArgs, findExecutable, type BubblewrapProbe, type SandboxLayout } from './bubblewrap.js';

/** required: bubblewrap or nothing (default). preferred: bubblewrap when it works, else unsandboxed. off: never sandboxed. */
export const SANDBOX_MODES = ['required', 'preferred', 'off'] as const;
export type SandboxMode = (typeof SANDBOX_MODES)[number];

export interface LaunchPlan {
  file: string;
  args: string[];
  sandbox: 'bubblewrap' | 'none';
}

export interface LauncherOptions {
  mode: SandboxMode;
  /** The cached probe result. */
  probe: () => Promise<BubblewrapProbe>;
  /** What the sandbox makes writable, hidden and read-only for a command in `cwd`. */
  layout: (cwd: string) => Omit<SandboxLayout, 'cwd'>;
  env: Record<string, string | undefined>;
}

export const SANDBOX_HINT =
  'Install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap, or run scripts/install-system-deps.sh) ' +
  'and make sure unprivileged user namespaces are enabled. To run commands without a sandbox instead ' +
  '(confined only by the working directory, time limits and a scrubbed environment): ' +
  'az config set security.sandbox preferred';

function shell(): string {
  return existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';
}

export async function planLaunch(
  command: string,
  cwd: string,
  options: LauncherOptions,
): Promise<LaunchPlan> {
  const setpriv = findExecutable('setpriv', options.env);
  const wrap = (file: string, args: string[]): { file: string; args: string[] } =>
    setpriv ? { file: setpriv, args: ['--pdeathsig', 'KILL', '--', file, ...args] } : { file, args };
  if (options.mode !== 'off') {
    const probe = await options.probe();
    if (probe.ok && probe.path) {
      const args = [...bubblewrapArgs(probe, { ...options.layout(cwd), cwd }), '--', shell(), '-c', command];
      return { ...wrap(probe.path, args), sandbox: 'bubblewrap' };
    }
    if (options.mode === 'required') {
      throw new ToolError(
        'UNAVAILABLE',
        `shell commands are refused: they must run in the bubblewrap sandbox, and ${probe.reason}`,
        {
          hint: SANDBOX_HINT,
        },
      );
    }
  }
  return { ...wrap(shell(), ['-c', command]), sandbox: 'none' };
}
