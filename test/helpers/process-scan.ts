/** Finding live processes by their command line (Linux /proc), to prove that none survived. */
import { readdirSync, readFileSync } from 'node:fs';

export function livePidsRunning(needle: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      // Zombies have an empty cmdline: they are dead, only not reaped yet.
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(needle)) found.push(pid);
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

/** Waits (briefly) until no process runs `needle`; returns the survivors, if any. */
export async function survivorsOf(needle: string, waitMs = 2000): Promise<number[]> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const alive = livePidsRunning(needle);
    if (alive.length === 0 || Date.now() > deadline) return alive;
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}
