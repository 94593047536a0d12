/**
 * `az serve`: the long-running HTTP server of a home. Takes the home's server lock, binds (loopback unless
 * explicitly allowed otherwise), writes server.json for clients, and undoes all of it on shutdown.
 */
import { createServer, type Server } from 'node:http';
import { rmSync, writeFileSync } from 'node:fs';
import { AppError } from '../../protocol/errors.js';
import type { DaemonInfo } from '../../protocol/daemon.js';
import { CONTRACTS_DIGEST } from '../../protocol/version.js';
import type { Core } from '../core.js';
import type { ToolRegistry } from '../mcp/register-tools.js';
import { acquireServerLock } from '../server-lock.js';
import { createHttpApp } from './app.js';
import { adminTokenResolver, type TokenResolver } from './auth.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith('127.');
}

export interface DaemonOptions {
  /** Defaults to server.host. */
  host?: string | undefined;
  /** Defaults to server.port; 0 picks a free port. */
  port?: number | undefined;
  allowRemote: boolean;
  /** Extra Host header names to accept (merged with server.allowed_hosts). */
  allowedHosts: readonly string[];
}

export interface RunningDaemon {
  info: DaemonInfo;
  httpServer: Server;
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') {
        reject(
          new AppError('CONFLICT', `port ${port} on ${host} is already in use`, {
            hint: 'Choose another with --port or `az config set server.port PORT`.',
            details: { reason: 'port_in_use', host, port },
          }),
        );
      } else if (error.code === 'EACCES') {
        reject(
          new AppError('PERMISSION_DENIED', `not allowed to listen on ${host}:${port}`, {
            hint: 'Use a port above 1024.',
          }),
        );
      } else if (error.code === 'EADDRNOTAVAIL') {
        reject(new AppError('INVALID_INPUT', `${host} is not an address of this machine`));
      } else {
        reject(error);
      }
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

export async function startDaemon(
  core: Core,
  registry: ToolRegistry,
  options: DaemonOptions,
  extraResolvers: readonly TokenResolver[] = [],
): Promise<RunningDaemon> {
  const { paths } = core;
  const settings = core.config().config.server;
  const host = options.host ?? settings.host;
  const port = options.port ?? settings.port;
  if (!isLoopback(host) && !options.allowRemote) {
    throw new AppError(
      'INVALID_INPUT',
      `refusing to listen on ${host}: only loopback is allowed by default`,
      {
        hint:
          'Anyone who can reach that address could try the token. If you mean it (e.g. for Agent Zero in Docker), ' +
          'add --allow-remote and keep the token secret.',
      },
    );
  }
  const lock = acquireServerLock(paths);
  try {
    const adminResolver = adminTokenResolver(() => core.adminToken());
    const resolveToken: TokenResolver = token => {
      for (const resolver of [adminResolver, ...extraResolvers]) {
        const principal = resolver(token);
        if (principal) return principal;
      }
      return undefined;
    };
    const http = createHttpApp({
      core,
      registry,
      resolveToken,
      allowedHosts: [
        ...settings.allowed_hosts,
        ...options.allowedHosts,
        ...(isLoopback(host) || host === '0.0.0.0' || host === '::' ? [] : [host]),
      ],
      allowedOrigins: settings.allowed_origins,
    });
    // Security: bound slow clients. Headers must arrive within 10 s and the whole request within
    // server.request_timeout_seconds; expired connections are reaped every second (Node's default is 30 s).
    const httpServer = createServer(
      {
        headersTimeout: 10_000,
        requestTimeout: settings.request_timeout_seconds * 1000,
        keepAliveTimeout: 5_000,
        connectionsCheckingInterval: 1_000,
      },
      http.app,
    );
    await listen(httpServer, port, host);
    const address = httpServer.address();
    const boundPort = typeof address === 'object' && address ? address.port : port;
    const urlHost =
      host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    const info: DaemonInfo = {
      pid: process.pid,
      url: `http://${urlHost}:${boundPort}/mcp`,
      host,
      port: boundPort,
      version: core.version,
      started_at: new Date().toISOString(),
      ...(CONTRACTS_DIGEST === undefined ? {} : { contracts: CONTRACTS_DIGEST }),
    };
    writeFileSync(paths.serverFile, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
    let closing: Promise<void> | undefined;
    return {
      info,
      httpServer,
      close() {
        closing ??= (async () => {
          rmSync(paths.serverFile, { force: true });
          httpServer.close();
          httpServer.closeIdleConnections();
          await http.close();
          httpServer.closeAllConnections();
          lock.release();
        })();
        return closing;
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}
