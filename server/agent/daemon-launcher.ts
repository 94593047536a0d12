/**
 * Starting a server on demand. A process that queues a task but runs none itself (`az mcp` spawned per call by
 * Agent Zero, a one-shot `az task create`) makes sure the home has a server to run it: when none runs, it
 * starts `az serve --on-demand` detached (logging to logs/server.log). That server picks up every queued task,
 * including ones other processes wrote, and stops by itself once idle. A launch is attempted at most once per
 * 15 s per home, so a burst of calls starts one server (and the server lock settles any race).
 */
import { closeSync, existsSync, openSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findDaemon } from '../../protocol/daemon.js';
import type { Core } from '../core.js';

const LAUNCH_THROTTLE_MS = 15_000;

export type LaunchResult = 'running' | 'started' | 'recently-started' | 'disabled' | 'failed';

/** The `az` entry (dist/bin/az.js), found from this module's place in dist/ (or in the source tree, under tests). */
export function cliEntry(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    // From the bundled server's entry (dist/runtime/server.js) …
    '../bin/az.js',
    // … one of its chunks (dist/runtime/chunks/) or tsc's output (dist/server/agent/) …
    '../../bin/az.js',
    // … or the source tree under tests.
    '../../cli/index.js',
    '../../dist/bin/az.js',
    '../../dist/cli/index.js',
  ];
  for (const candidate of candidates.map(path => resolve(here, path))) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** AZ_HOME and AZ_PROFILE that resolve to this home again. */
function homeEnv(core: Core): Record<string, string> {
  const { home, profile } = core.paths;
  const suffix = join('profiles', profile);
  const root = profile !== 'default' && home.endsWith(suffix) ? home.slice(0, -suffix.length - 1) : home;
  return { AZ_HOME: root, AZ_PROFILE: profile };
}

export function ensureDaemon(core: Core, now: () => number = Date.now): LaunchResult {
  if (!core.config().config.tasks.autostart_daemon) return 'disabled';
  if (findDaemon(core.paths)) return 'running';
  const marker = join(core.paths.logsDir, 'server-launch');
  try {
    if (now() - statSync(marker).mtimeMs < LAUNCH_THROTTLE_MS) return 'recently-started';
  } catch {
    // No launch yet.
  }
  const entry = cliEntry();
  if (!entry) {
    console.error('cannot start a server on demand: dist/bin/az.js not found (run npm run build)');
    return 'failed';
  }
  try {
    writeFileSync(marker, `${process.pid}\n`, { mode: 0o600 });
    utimesSync(marker, new Date(now()), new Date(now()));
    const log = openSync(join(core.paths.logsDir, 'server.log'), 'a', 0o600);
    const env: Record<string, string | undefined> = { ...core.env, ...homeEnv(core), AZ_URL: undefined };
    // Loaded here, not at import: every in-process command loads this module, few start a server.
    const { spawn } = process.getBuiltinModule('node:child_process');
    const child = spawn(process.execPath, [entry, 'serve', '--on-demand'], {
      detached: true,
      stdio: ['ignore', log, log],
      env: env as NodeJS.ProcessEnv,
    });
    child.unref();
    closeSync(log);
    return 'started';
  } catch (error) {
    console.error('cannot start a server on demand:', error);
    return 'failed';
  }
}
