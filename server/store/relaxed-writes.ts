/**
 * Relaxed writes with a group fsync, for the agent's hot path (journal, cost ledger, status changes of
 * running tasks).
 *
 * The database runs with synchronous=FULL: every commit waits for an fsync (about 3 ms here), on the event
 * loop. An agent step writes several records; 50 parallel tasks would spend most of their time in fsync. Here
 * a transaction commits with synchronous=NORMAL — in WAL mode that survives a killed process (the WAL is in
 * the OS page cache) but not a power loss — and a background fsync of the WAL file follows within
 * `flushMs`, off the event loop (libuv's thread pool). Because the WAL is sequential, one fsync makes every
 * earlier commit durable.
 *
 * `sync()` is the durability barrier: the agent awaits it before running a tool that is not safe to repeat,
 * so the tool's intent is on disk before its side effect starts, even across a power loss.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { writeTransaction, type Db } from './database.js';

export interface RelaxedWrites {
  /** Runs `work` in an IMMEDIATE transaction committed without fsync (or inside the caller's transaction). */
  write<T>(work: () => T): T;
  /** Resolves once everything committed so far is on disk. */
  sync(): Promise<void>;
  /** Final fsync and release of the WAL handle. */
  close(): Promise<void>;
}

export function createRelaxedWrites(db: Db, databasePath: string, options: { flushMs?: number } = {}): RelaxedWrites {
  const flushMs = options.flushMs ?? 100;
  const relax = db.prepare('PRAGMA synchronous = NORMAL');
  const restore = db.prepare('PRAGMA synchronous = FULL');
  let written = 0;
  let synced = 0;
  let inflight: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let wal: FileHandle | undefined;
  let closed = false;

  async function fsyncWal(): Promise<void> {
    try {
      wal ??= await open(`${databasePath}-wal`, 'r');
      await wal.sync();
    } catch {
      // No WAL file (yet, or any more): make the commits durable the slow way.
      await wal?.close().catch(() => undefined);
      wal = undefined;
      if (db.open) db.pragma('wal_checkpoint(PASSIVE)');
    }
  }

  async function sync(): Promise<void> {
    const target = written;
    while (synced < target) {
      if (!inflight) {
        const upTo = written;
        inflight = fsyncWal().finally(() => {
          synced = Math.max(synced, upTo);
          inflight = undefined;
        });
      }
      await inflight;
    }
  }

  function schedule(): void {
    if (timer || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      sync().catch(error => console.error('background fsync failed:', error));
    }, flushMs);
  }

  return {
    write<T>(work: () => T): T {
      if (db.inTransaction) return work();
      relax.run();
      let result: T;
      try {
        result = writeTransaction(db, work);
      } finally {
        restore.run();
      }
      written += 1;
      schedule();
      return result;
    },
    sync,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (db.open) await sync();
      await wal?.close().catch(() => undefined);
      wal = undefined;
    },
  };
}
