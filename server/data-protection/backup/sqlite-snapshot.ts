/**
 * A consistent online copy of a live SQLite file: `VACUUM INTO` on a second connection, in a worker thread.
 *
 * Why not the backup API: SQLite3MultipleCiphers refuses page-level backups between databases whose
 * encryption differs, and better-sqlite3 opens the backup's target without a key — so an encrypted database
 * cannot be backed up that way at all. `VACUUM INTO` reads one snapshot (a single read transaction: writers in
 * WAL mode go on, the copy never restarts however busy they are) and writes it with the source's cipher and
 * key, so an encrypted database stays encrypted in the copy. It runs in a worker so the daemon keeps serving;
 * progress is the copy's growing size against the source's.
 */
import { chmodSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { AppError } from '../../../protocol/errors.js';
import { CIPHER_PRAGMAS, type DatabaseKey } from '../../store/database.js';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.source, { fileMustExist: true, timeout: workerData.busyTimeoutMs });
  if (workerData.key) {
    for (const pragma of workerData.pragmas) db.pragma(pragma);
    db.key(Buffer.from(workerData.key));
  }
  db.prepare('SELECT count(*) FROM sqlite_master').get();
  db.prepare('VACUUM INTO ?').run(workerData.target);
  parentPort.postMessage({ ok: true });
} catch (error) {
  parentPort.postMessage({ ok: false, code: error && error.code, message: String(error && error.message) });
} finally {
  if (db && db.open) db.close();
}
`;

export interface SnapshotOptions {
  key?: DatabaseKey | undefined;
  /** Expected size, for progress (page_count × page_size of the source). */
  expectedBytes?: number;
  onBytes?: (bytes: number, total: number) => void;
  signal?: AbortSignal | undefined;
}

export function snapshotSqlite(source: string, target: string, options: SnapshotOptions = {}): Promise<void> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3-multiple-ciphers');
  // Loaded here, not at import: every in-process command loads this module, few take a backup.
  const { Worker } = process.getBuiltinModule('node:worker_threads');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      driver,
      source,
      target,
      key: options.key ? new Uint8Array(options.key.bytes) : null,
      pragmas: CIPHER_PRAGMAS,
      busyTimeoutMs: 30_000,
    },
  });
  const total = options.expectedBytes ?? 0;
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const poll = setInterval(() => {
      try {
        options.onBytes?.(statSync(target).size, total);
      } catch {
        // Not created yet.
      }
    }, 200);
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearInterval(poll);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve();
    };
    const onAbort = (): void => {
      void worker.terminate();
      finish(new AppError('CANCELLED', 'the backup was cancelled; nothing was kept'));
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (message: { ok: boolean; code?: string; message?: string }) => {
      if (message.ok) {
        // Security: SQLite creates the copy with the umask's mode; a backup is for its owner only.
        chmodSync(target, 0o600);
        options.onBytes?.(statSync(target).size, total);
        finish();
        return;
      }
      const full =
        message.code === 'SQLITE_FULL' ||
        /disk is full|database or disk is full/i.test(message.message ?? '');
      finish(
        new AppError(
          'UNAVAILABLE',
          full
            ? `the disk holding ${target} is full: the snapshot could not be written`
            : `could not snapshot ${source}: ${message.message ?? 'unknown error'}`,
          {
            hint: full
              ? 'Free space there or choose another path.'
              : 'Check the path and that the database is readable.',
          },
        ),
      );
    });
    worker.once('error', error => finish(error));
    worker.once('exit', code => {
      if (code !== 0) finish(new AppError('INTERNAL', `the snapshot worker stopped with code ${code}`));
    });
  });
}
