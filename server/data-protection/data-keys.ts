/**
 * Data keys: random 256-bit keys AZ-OS keeps inside its own database (table data_keys), so they are exactly
 * as protected as the database is — encrypted with it, rotated with it (a rekey re-encrypts the database, not
 * what these keys protect), backed up and restored with it. Used for memory documents, audit anchors and the audit chain.
 */
import { randomBytes } from 'node:crypto';
import { writeTransaction, type Db } from '../store/database.js';

export type DataKeyName = 'memory' | 'audit-anchor' | 'audit-chain';

export function loadDataKey(db: Db, name: DataKeyName): Buffer | undefined {
  const row = db.prepare('SELECT key FROM data_keys WHERE name = ?').get(name) as { key: Buffer } | undefined;
  return row?.key;
}

/** The key named `name`, created (once, race-free across processes) when it does not exist yet. */
export function ensureDataKey(db: Db, name: DataKeyName): Buffer {
  const existing = loadDataKey(db, name);
  if (existing) return existing;
  return writeTransaction(db, () => {
    db.prepare('INSERT OR IGNORE INTO data_keys (name, key, created_at) VALUES (?, ?, ?)').run(
      name,
      randomBytes(32),
      Date.now(),
    );
    return loadDataKey(db, name) as Buffer;
  });
}
