/**
 * Killing a command and everything it started.
 *
 * Security: commands run in their own process group (detached), so one signal reaches the whole group. A
 * descendant that left the group (setsid, daemonizing) is still found: every command gets a marker variable
 * in its environment, which its descendants inherit, and on Linux /proc is scanned for it. Inside bubblewrap
 * the PID namespace ends every process in it when its init dies, but a sandbox killed while still starting
 * can leave that init behind (its death-with-parent is not armed yet, and it ignores SIGTERM), so the scan
 * runs in both modes.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** The environment variable that marks a command's descendants. */
export const PROCESS_MARKER = 'AZOS_PROCESS';

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** PIDs of processes whose environment carries `marker` (Linux only; [] elsewhere). */
export function markedProcesses(marker: string): number[] {
  if (process.platform !== 'linux') return [];
  const needle = Buffer.from(`${PROCESS_MARKER}=${marker}\0`);
  const found: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (readFileSync(`/proc/${pid}/environ`).includes(needle)) found.push(pid);
    } catch {
      // Not ours to read, or already gone.
    }
  }
  return found;
}

/** Sends `signal` to the process group of `pid` and to every process carrying `marker`. */
export function signalTree(pid: number | undefined, marker: string, signal: NodeJS.Signals): void {
  if (pid !== undefined) signalGroup(pid, signal);
  for (const other of markedProcesses(marker)) {
    try {
      process.kill(other, signal);
    } catch {
      // Already gone.
    }
  }
}
