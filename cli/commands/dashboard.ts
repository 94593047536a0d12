/**
 * `az dashboard`: finds the running server of the home (or the one named by --url / AZ_URL), starts one on
 * request when none runs, and hands over to the Ink dashboard (tui/), which talks to it over MCP.
 */
import { createInterface } from 'node:readline/promises';
import { findDaemon, readTokenFile } from '../../protocol/daemon.js';
import { AppError } from '../../protocol/errors.js';
import type { HomePaths } from '../../protocol/home.js';
import type { Command, GlobalFlags } from '../command.js';

interface Target {
  url: string;
  token: string;
}

/** The server to show: --url / AZ_URL (with AZ_TOKEN), else the running server of the home. */
function findTarget(
  globals: GlobalFlags,
  paths: HomePaths,
  env: Record<string, string | undefined>,
): Target | undefined {
  const explicit = globals.url ?? env.AZ_URL;
  const url = explicit ?? findDaemon(paths)?.url;
  if (url === undefined) return undefined;
  const token = env.AZ_TOKEN ?? readTokenFile(paths);
  if (!token) {
    throw new AppError('UNAUTHORIZED', `no token to talk to ${url}`, {
      hint: `Set AZ_TOKEN, or run az db init to create ${paths.tokenFile}.`,
    });
  }
  return { url, token };
}

async function askToStart(home: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(
      `No AZ-OS server runs for ${home}. Start one now (az serve --detach)? [Y/n] `,
    );
    return !/^\s*n/i.test(answer);
  } finally {
    prompt.close();
  }
}

/** Runs `az serve --detach` for the same home; resolves once it listens (it writes server.json first). */
function startServer(globals: GlobalFlags, env: Record<string, string | undefined>): Promise<void> {
  const args = [process.argv[1] as string, 'serve', '--detach', '--json'];
  if (globals.home) args.push('--home', globals.home);
  if (globals.profile) args.push('--profile', globals.profile);
  return new Promise((resolve, reject) => {
    // Loaded here, not at import: the dashboard starts a server only when none runs.
    const { spawn } = process.getBuiltinModule('node:child_process');
    const child = spawn(process.execPath, args, {
      env: env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => (stdout += chunk));
    child.stderr.on('data', chunk => (stderr += chunk));
    child.on('error', reject);
    child.on('close', code => {
      if (code !== 0) {
        reject(
          new AppError(
            'UNAVAILABLE',
            `could not start the server: ${(stderr || stdout).trim() || `exit code ${code}`}`,
            {
              hint: 'Run az serve yourself to see why.',
            },
          ),
        );
        return;
      }
      resolve();
    });
  });
}

const command: Command = {
  usage: 'az dashboard [--start] [--url URL]',
  summary: 'Open the live dashboard: tasks, step logs, cost and system health',
  flags: {
    start: {
      type: 'boolean',
      description: 'Start a server (az serve --detach) without asking when none runs',
    },
  },
  args: 0,
  details:
    'Keys: j/k or arrows move, Enter opens a task, / filters, s sorts, n new task, c cancel, r retry or resume,\n' +
    '1-3 switch views, ? help, q quit. NO_COLOR=1 turns colour off. A viewer token sees everything, acts on nothing.\n' +
    'The dashboard is an MCP client of the running server: it never opens the database itself.',
  async run({ globals, env, paths, signal, out, flags }) {
    if (globals.json) {
      throw new AppError('INVALID_INPUT', 'the dashboard is interactive and has no --json output', {
        hint: 'Use az status --json or az task list --json for machine-readable output.',
      });
    }
    // Load the dashboard while the server is found: start-up pays for the slower of the two, not their sum.
    const loading = import('../../tui/index.js');
    loading.catch(() => undefined); // awaited below; an error before that must not go unhandled
    let target = findTarget(globals, paths, env);
    if (!target) {
      const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
      const start =
        globals.url === undefined &&
        (flags.start === true || (interactive && (await askToStart(paths.home))));
      if (!start) {
        throw new AppError('UNAVAILABLE', `no AZ-OS server runs for ${paths.home}`, {
          hint: 'Start one with az serve (or az serve --detach), or run az dashboard --start.',
        });
      }
      out.note('starting the server (az serve --detach)…');
      await startServer(globals, env);
      target = findTarget(globals, paths, env);
      if (!target) throw new AppError('UNAVAILABLE', 'the server started but did not write server.json');
      const daemon = findDaemon(paths);
      if (daemon)
        out.note(`server pid ${daemon.pid} at ${daemon.url}; it keeps running after the dashboard closes`);
    }
    const { runDashboard } = await loading;
    const first = target;
    let used = false;
    await runDashboard({
      target: () => {
        // The first connection uses what was found above; later ones look again (the server may have restarted).
        if (!used) {
          used = true;
          return first;
        }
        const again = findTarget(globals, paths, env);
        if (!again)
          throw new AppError('UNAVAILABLE', `no AZ-OS server runs for ${paths.home} (waiting for one)`);
        return again;
      },
      env,
      workspace: globals.url === undefined && env.AZ_URL === undefined ? process.cwd() : undefined,
      signal,
    });
  },
};

export default command;
