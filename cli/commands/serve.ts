import { spawn } from 'node:child_process';
import { openSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { findDaemon } from '../../protocol/daemon.js';
import { AppError } from '../../protocol/errors.js';
import type { Command } from '../command.js';

async function detach(
  argv: string[],
  logsDir: string,
  serverFile: () => ReturnType<typeof findDaemon>,
): Promise<string> {
  mkdirSync(logsDir, { recursive: true, mode: 0o700 });
  const log = openSync(join(logsDir, 'server.log'), 'a', 0o600);
  const child = spawn(process.execPath, [process.argv[1] as string, ...argv], {
    detached: true,
    stdio: ['ignore', log, log],
    env: process.env,
  });
  child.unref();
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const daemon = serverFile();
    if (daemon && daemon.pid === child.pid) return daemon.url;
    if (child.exitCode !== null) break;
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  throw new AppError('UNAVAILABLE', `the server did not start; see ${join(logsDir, 'server.log')}`);
}

const command: Command = {
  usage: 'az serve [--host ADDR] [--port N] [--allow-remote] [--allowed-host NAME] [--detach]',
  summary: 'Start the AZ-OS server (Streamable HTTP)',
  flags: {
    host: { type: 'string', description: 'Address to bind (default server.host, 127.0.0.1)' },
    port: { type: 'number', description: 'Port (default server.port, 7777; 0 picks a free one)' },
    allowRemote: { type: 'boolean', description: 'Allow a non-loopback --host (e.g. 0.0.0.0 for Docker)' },
    allowedHost: {
      type: 'string',
      isMultiple: true,
      description: 'Extra Host header name to accept (repeatable)',
    },
    detach: { type: 'boolean', description: 'Run in the background; print the URL and return' },
    onDemand: {
      type: 'boolean',
      description: 'Started for queued work: use a free port if the configured one is busy, stop when idle',
    },
  },
  args: 0,
  details:
    'The endpoint is http://HOST:PORT/mcp and needs Authorization: Bearer TOKEN (the token is in AZ_HOME/token).\n' +
    'Both MCP eras are served: 2026-07-28 (stateless) and 2025-11-25 (sessions).\n' +
    'Stop it with Ctrl-C or SIGTERM.',
  async run({ flags, out, env, globals, paths, signal }) {
    if (flags.detach === true) {
      const running = findDaemon(paths);
      if (running)
        throw new AppError(
          'CONFLICT',
          `a server already runs on this home at ${running.url} (pid ${running.pid})`,
        );
      const argv = process.argv.slice(2).filter(arg => arg !== '--detach');
      const url = await detach(argv, paths.logsDir, () => findDaemon(paths));
      if (globals.json) out.json({ url, home: paths.home });
      else out.print(url);
      return;
    }
    // Listen for the stop request before starting: a SIGTERM that arrives while the server starts (an
    // on-demand server stopped at once) must still shut it down cleanly, removing server.json.
    let requestStop = (): void => undefined;
    const stopRequested = new Promise<void>(resolve => {
      requestStop = resolve;
    });
    process.once('SIGTERM', requestStop);
    signal.addEventListener('abort', requestStop, { once: true });
    const { runDaemon } = await import('../../server/index.js');
    const handle = await runDaemon(
      { home: globals.home, profile: globals.profile, env },
      {
        host: flags.host as string | undefined,
        port: flags.port as number | undefined,
        allowRemote: flags.allowRemote === true,
        allowedHosts: (flags.allowedHost as string[] | undefined) ?? [],
        onDemand: flags.onDemand === true,
      },
    );
    const { info } = handle.daemon;
    if (globals.json) out.json(info);
    else {
      out.print(`AZ-OS ${info.version} listening on ${info.url}`);
      out.note(
        `home ${handle.runtime.core.paths.home}; token in ${handle.runtime.core.paths.tokenFile}; Ctrl-C to stop`,
      );
    }
    void handle.idle.then(() => {
      out.note('idle: no queued or running tasks; stopping (started on demand)');
      requestStop();
    });
    await stopRequested;
    out.note('shutting down');
    await handle.close();
  },
};

export default command;
