/** The local Chroma process: signalling it safely, and its log file (rotated at 5 MB). */
import { existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { processAlive } from './file-lock.js';

const LOG_ROTATE_BYTES = 5 * 1024 * 1024;

// Security: a pid in chroma.json may have been reused by an unrelated process after a reboot. Before we
// signal a pid we check (where /proc exists) that it runs a Chroma on our data folder.
export function isOurChroma(pid: number, dataDir: string): boolean {
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync('/proc/self')) return processAlive(pid);
  try {
    return readFileSync(cmdline, 'utf8').split('\0').includes(dataDir);
  } catch {
    return false;
  }
}

export async function stopProcess(pid: number, dataDir: string): Promise<void> {
  if (!isOurChroma(pid, dataDir)) return;
  const signal = (name: NodeJS.Signals): void => {
    try {
      process.kill(-pid, name);
    } catch {
      try {
        process.kill(pid, name);
      } catch {
        // Already gone.
      }
    }
  };
  signal('SIGTERM');
  for (let waited = 0; waited < 5000 && processAlive(pid); waited += 50) await sleep(50);
  if (processAlive(pid)) signal('SIGKILL');
}

export function openLog(path: string): number {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    if (statSync(path).size > LOG_ROTATE_BYTES) renameSync(path, `${path}.1`);
  } catch {
    // No log yet.
  }
  return openSync(path, 'a', 0o600);
}

export function tailOf(path: string): string {
  try {
    const text = readFileSync(path, 'utf8');
    return text
      .slice(-600)
      .replace(/\u001b\[[0-9;]*m/g, '')
      .trim();
  } catch {
    return '';
  }
}
