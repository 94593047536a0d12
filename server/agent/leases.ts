/**
 * Leases: a running task names its owner (`host:pid:nonce`) and a lease expiry the owner keeps extending.
 * A task whose lease expired — or whose owner is a process on this host that no longer exists — was
 * interrupted and can be recovered at once instead of after the lease runs out.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** How long a lease lasts without a heartbeat. */
export const LEASE_MS = 30_000;
/** How often the owner extends its leases. */
export const HEARTBEAT_MS = 5_000;

export function newOwnerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

export function ownerPid(owner: string): number | undefined {
  const parts = owner.split(':');
  const pid = Number(parts.at(-2));
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** false when the owner is certainly gone (a dead pid on this host); true when it may still run. */
export function ownerMayLive(owner: string | null): boolean {
  if (owner === null) return false;
  const host = owner.split(':').slice(0, -2).join(':');
  const pid = ownerPid(owner);
  if (host !== hostname() || pid === undefined) return true;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function leaseHeld(owner: string | null, expiresAt: number | null, now: number): boolean {
  return owner !== null && (expiresAt ?? 0) > now && ownerMayLive(owner);
}
