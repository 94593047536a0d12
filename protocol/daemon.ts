/**
 * server.json: how clients find a running `az serve` in their AZ_HOME. The token itself is never in it; it
 * stays in the 0600 token file.
 */
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import type { HomePaths } from './home.js';

export const DaemonInfoSchema = z.object({
  pid: z.number().int().positive(),
  url: z.string(),
  host: z.string(),
  port: z.number().int(),
  version: z.string(),
  started_at: z.string(),
});
export type DaemonInfo = z.infer<typeof DaemonInfoSchema>;

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
  const parsed = DaemonInfoSchema.safeParse(json);
  if (!parsed.success || !processAlive(parsed.data.pid)) return undefined;
  return parsed.data;
}

export function readTokenFile(paths: HomePaths): string | undefined {
  try {
    return readFileSync(paths.tokenFile, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
