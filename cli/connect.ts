/**
 * Finding AZ-OS: the server named by --url or AZ_URL, else the running server of this home (server.json),
 * else an in-process server over the SDK's in-memory transport. Every path ends in an MCP client.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport, type DiscoverResult } from '@modelcontextprotocol/client';
import { AzClient } from '../protocol/client.js';
import { findDaemon, readTokenFile, type DaemonInfo } from '../protocol/daemon.js';
import { AppError } from '../protocol/errors.js';
import type { HomePaths } from '../protocol/home.js';
import { VERSION } from '../protocol/version.js';

export interface ConnectOptions {
  paths: HomePaths;
  env: Record<string, string | undefined>;
  url: string | undefined;
  home: string | undefined;
  profile: string | undefined;
}

export type Connection = { client: AzClient; via: 'http' | 'in-process'; url?: string };

/** Over HTTP the CLI negotiates 2026-07-28 (stateless: no session left behind); in-process it uses 2025. */
function newClient(mode: 'auto' | 'legacy'): Client {
  return new Client({ name: 'az-cli', version: VERSION }, { versionNegotiation: { mode }, capabilities: {} });
}

/**
 * The daemon's server/discover answer, cached per daemon (pid + start time) so a CLI command costs one HTTP
 * round trip instead of two. A restarted daemon invalidates it.
 */
interface DiscoverCache {
  pid: number;
  started_at: string;
  discover: DiscoverResult;
}

function discoverCachePath(paths: HomePaths): string {
  return join(paths.home, 'server.discover.json');
}

function readDiscoverCache(paths: HomePaths, daemon: DaemonInfo | undefined): DiscoverResult | undefined {
  if (!daemon) return undefined;
  try {
    const cached = JSON.parse(readFileSync(discoverCachePath(paths), 'utf8')) as DiscoverCache;
    return cached.pid === daemon.pid && cached.started_at === daemon.started_at ? cached.discover : undefined;
  } catch {
    return undefined;
  }
}

function writeDiscoverCache(paths: HomePaths, daemon: DaemonInfo, discover: DiscoverResult): void {
  const file = discoverCachePath(paths);
  const temporary = `${file}.${randomBytes(4).toString('hex')}`;
  try {
    writeFileSync(temporary, JSON.stringify({ pid: daemon.pid, started_at: daemon.started_at, discover }), {
      mode: 0o600,
    });
    renameSync(temporary, file);
  } catch {
    // A cache: failing to write it only costs the next command one round trip.
  }
}

async function connectHttp(url: string, token: string, prior?: DiscoverResult): Promise<AzClient> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('INVALID_INPUT', `'${url}' is not a URL`, {
      hint: 'Use the form http://127.0.0.1:7777/mcp.',
    });
  }
  const client = newClient('auto');
  const transport = new StreamableHTTPClientTransport(parsed, {
    requestInit: { headers: { Authorization: `Bearer ${token}`, 'X-AZ-Tool-Profile': 'all' } },
  });
  await client.connect(transport, prior ? { prior: { kind: 'modern', discover: prior } } : undefined);
  return new AzClient(client);
}

export async function connect(options: ConnectOptions): Promise<Connection> {
  const explicit = options.url ?? options.env.AZ_URL;
  const daemon = explicit === undefined ? findDaemon(options.paths) : undefined;
  const url = explicit ?? daemon?.url;
  if (url !== undefined) {
    const token = options.env.AZ_TOKEN ?? readTokenFile(options.paths);
    if (!token) {
      throw new AppError('UNAUTHORIZED', `no token to talk to ${url}`, {
        hint: `Set AZ_TOKEN, or run az db init to create ${options.paths.tokenFile}.`,
      });
    }
    try {
      const prior = explicit === undefined ? readDiscoverCache(options.paths, daemon) : undefined;
      const client = await connectHttp(url, token, prior);
      const discover = client.sdk.getDiscoverResult();
      if (daemon && !prior && discover) writeDiscoverCache(options.paths, daemon, discover);
      return { client, via: 'http', url };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (explicit !== undefined || !/ECONNREFUSED|fetch failed|ECONNRESET/i.test(reason)) {
        throw new AppError(
          /401|unauthori/i.test(reason) ? 'UNAUTHORIZED' : 'UNAVAILABLE',
          `cannot reach ${url}: ${reason}`,
          {
            cause: error,
            hint:
              explicit !== undefined
                ? 'Check --url / AZ_URL and that the server runs.'
                : 'Check AZ_TOKEN and the server log.',
          },
        );
      }
      // server.json named a server that is gone: fall through to in-process.
    }
  }
  const { openInProcess } = await import('../server/index.js');
  const server = await openInProcess({ home: options.home, profile: options.profile, env: options.env });
  const client = newClient('legacy');
  await client.connect(server.clientTransport);
  return { client: new AzClient(client, () => server.close()), via: 'in-process' };
}
