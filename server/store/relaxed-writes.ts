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
 * `batch()` goes one step further for many concurrent writers (50 running tasks): writes queued by the same
 * callback — before its microtasks run — share one transaction, each in its own savepoint (one failing write
 * rolls back only itself), committed once. A committed batch is visible to other processes at once and durable
 * within `flushMs`. The commit runs as a microtask, not on the next event-loop turn: under load a turn lasts
 * many milliseconds (it runs every ready task's callbacks), and an agent step awaits two of these commits, so
 * waiting for the next turn showed as most of the engine's latency per step (bench/agent.js: median 6–7 ms
 * reply → next request with setImmediate, 4 ms as a microtask, p95 70 ms → 30–37 ms).
 *
 * `sync()` is the durability barrier: the agent awaits it before running a tool that is not safe to repeat,
 * so the tool's intent is on disk before its side effect starts, even across a power loss.
 */
import type { FileHandle } from 'node:fs/promises';
import { writeTransaction, type Db } from './database.js';

export interface RelaxedWrites {
  /** Runs `work` in an IMMEDIATE transaction committed without fsync (or inside the caller's transaction). */
  write<T>(work: () => T): T;
  /** Runs `work` in the next group commit; resolves with its result once that commit is done. */
  batch<T>(work: () => T): Promise<T>;
  /** Resolves once everything committed so far is on disk. */
  sync(): Promise<void>;
  /** Final fsync and release of the WAL handle. */
  close(): Promise<void>;
}

export function createRelaxedWrites(
  db: Db,
  databasePath: string,
  options: { flushMs?: number } = {},
): RelaxedWrites {
  const flushMs = options.flushMs ?? 100;
  const relax = db.prepare('PRAGMA synchronous = NORMAL');
  const restore = db.prepare('PRAGMA synchronous = FULL');
  let written = 0;
  let synced = 0;
  let inflight: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let wal: FileHandle | undefined;
  let closed = false;
  interface Queued {
    work: () => unknown;
    resolve(value: unknown): void;
    reject(error: unknown): void;
  }
  let queue: Queued[] = [];
  let flushScheduled = false;
  const inSavepoint = db.transaction((work: () => unknown) => work());

  async function fsyncWal(): Promise<void> {
    try {
      // node:fs/promises loads on first use: a command that writes nothing never needs it.
      wal ??= await process.getBuiltinModule('node:fs/promises').open(`${databasePath}-wal`, 'r');
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

  function write<T>(work: () => T): T {
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
  }

  function flush(): void {
    flushScheduled = false;
    const items = queue;
    queue = [];
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      write(() => {
        for (const item of items) {
          try {
            outcomes.push({ ok: true, value: inSavepoint(item.work) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      // The commit itself failed: nothing of the batch was written.
      for (const item of items) item.reject(error);
      return;
    }
    items.forEach((item, index) => {
      const outcome = outcomes[index];
      if (outcome?.ok) item.resolve(outcome.value);
      else item.reject(outcome?.error);
    });
  }

  return {
    write,
    batch<T>(work: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
        if (!flushScheduled) {
          flushScheduled = true;
          queueMicrotask(flush);
        }
      });
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
