/**
 * server.json: how clients find a running `az serve` in their AZ_HOME. The token itself is never in it; it
 * stays in the 0600 token file.
 */
import { readFileSync } from 'node:fs';
import type { HomePaths } from './home.js';

/** What server.json holds. */
export interface DaemonInfo {
  pid: number;
  url: string;
  host: string;
  port: number;
  version: string;
  started_at: string;
  /** The server's CONTRACTS_DIGEST (version.ts), when it runs bundled. */
  contracts?: string;
}

/**
 * Reads server.json's JSON by hand rather than with a zod schema: every `az` command reads it, and it is the
 * only thing most commands against a running server would build a schema for.
 */
function asDaemonInfo(json: unknown): DaemonInfo | undefined {
  if (json === null || typeof json !== 'object') return undefined;
  const info = json as Record<string, unknown>;
  const { pid, url, host, port, version, started_at: startedAt, contracts } = info;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return undefined;
  if (typeof port !== 'number' || !Number.isInteger(port)) return undefined;
  if (typeof url !== 'string' || typeof host !== 'string' || typeof version !== 'string') return undefined;
  if (typeof startedAt !== 'string') return undefined;
  if (contracts !== undefined && typeof contracts !== 'string') return undefined;
  return {
    pid,
    url,
    host,
    port,
    version,
    started_at: startedAt,
    ...(contracts === undefined ? {} : { contracts }),
  };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The running server of this home, or undefined when none runs (a stale file is ignored). */
export function findDaemon(paths: HomePaths): DaemonInfo | undefined {
  let text: string;
  try {
    text = readFileSync(paths.serverFile, 'utf8');
  } catch {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const info = asDaemonInfo(json);
  if (info === undefined || !processAlive(info.pid)) return undefined;
  return info;
}

export function readTokenFile(paths: HomePaths): string | undefined {
  try {
    return readFileSync(paths.tokenFile, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
