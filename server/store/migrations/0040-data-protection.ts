import type { Migration } from './index.js';

/**
 * Data protection: data keys (random keys kept inside the database, so they are as protected as it is —
 * e.g. the key that encrypts memory documents), the log of prune runs, and the signed anchors that stand in
 * for audit chain segments removed by retention.
 */
export const dataProtectionMigration: Migration = {
  version: 40,
  name: 'data keys, prune runs and audit anchors',
  up(db) {
    db.exec(`
      CREATE TABLE data_keys (
        name TEXT PRIMARY KEY,
        key BLOB NOT NULL CHECK (length(key) = 32),
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE prune_runs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        trigger TEXT NOT NULL CHECK (trigger IN ('manual', 'automatic')),
        started_at INTEGER NOT NULL,
        finished_at INTEGER NOT NULL,
        deleted INTEGER NOT NULL,
        results TEXT NOT NULL
      ) STRICT;
      CREATE TABLE audit_anchors (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        first_seq INTEGER NOT NULL,
        last_seq INTEGER NOT NULL,
        entries INTEGER NOT NULL,
        first_prev_hash TEXT NOT NULL,
        last_hash TEXT NOT NULL,
        previous_anchor TEXT,
        created_at INTEGER NOT NULL,
        reason TEXT NOT NULL,
        signature TEXT NOT NULL
      ) STRICT;
    `);
  },
};
