/**
 * Real processes: the built `az` binary (dist/bin/az.js, the bundled bin) run as a user would run it, and `az serve` started
 * as a daemon on a free port. Tests that use these need `npm run build` first (npm test does it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const AZ_BIN = join(REPO_ROOT, 'dist/bin/az.js');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runAz(
  args: readonly string[],
  options: { env: Record<string, string | undefined>; input?: string; cwd?: string; timeoutMs?: number },
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [AZ_BIN, ...args], {
      env: options.env as NodeJS.ProcessEnv,
      cwd: options.cwd ?? REPO_ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => (stdout += chunk));
    child.stderr.on('data', chunk => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', code => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

export interface Daemon {
  url: string;
  token: string;
  pid: number;
  process: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `az serve --port 0` for the home in `env.AZ_HOME` and waits until server.json names it. */
export async function startDaemon(
  env: Record<string, string | undefined>,
  extraArgs: readonly string[] = [],
  options: { launcher?: readonly string[] } = {},
): Promise<Daemon> {
  const home = env.AZ_HOME as string;
  // A launcher (e.g. unshare … sh -c '… exec "$@"' sh) runs first and must exec node in the same process.
  const [command, ...launcherArgs] = [...(options.launcher ?? []), process.execPath];
  const child = spawn(command as string, [...launcherArgs, AZ_BIN, 'serve', '--port', '0', ...extraArgs], {
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', chunk => (output += chunk));
  child.stderr?.on('data', chunk => (output += chunk));
  const exited = new Promise<number | null>(resolvePromise => child.on('exit', code => resolvePromise(code)));
  const serverFile = join(home, 'server.json');
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (existsSync(serverFile)) {
      try {
        const info = JSON.parse(readFileSync(serverFile, 'utf8')) as { pid: number; url: string };
        if (info.pid === child.pid) {
          return {
            url: info.url,
            token: readFileSync(join(home, 'token'), 'utf8').trim(),
            pid: info.pid,
            process: child,
            output: () => output,
            async stop(signal = 'SIGTERM') {
              if (child.exitCode === null && child.signalCode === null) child.kill(signal);
              return exited;
            },
          };
        }
      } catch {
        // Written but not complete yet.
      }
    }
    if (child.exitCode !== null) throw new Error(`az serve exited with ${child.exitCode}: ${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`az serve did not start: ${output}`);
    }
    await new Promise(resolvePromise => setTimeout(resolvePromise, 50));
  }
}
