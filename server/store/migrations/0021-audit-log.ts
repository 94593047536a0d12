import type { Migration } from './index.js';

/**
 * The audit log: append-only, hash-chained rows (server/audit/audit-log.ts explains the chain), and its head
 * (the last row's link, sealed) so that deleting rows at the end is detected too. Triggers refuse UPDATE and
 * DELETE: only a deliberate DROP TRIGGER can change history (retention does it for the verified segments it
 * replaces by anchors), and `az audit verify` detects anything else it did.
 */
export const auditLogMigration: Migration = {
  version: 21,
  name: 'hash-chained audit log',
  up(db) {
    db.exec(`
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        principal TEXT NOT NULL,
        role TEXT NOT NULL,
        via TEXT NOT NULL,
        task_id TEXT,
        tool TEXT NOT NULL,
        access TEXT NOT NULL,
        args_sha256 TEXT NOT NULL,
        targets TEXT NOT NULL,
        outcome TEXT NOT NULL,
        error_code TEXT,
        duration_ms INTEGER NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_log_by_tool ON audit_log (tool, seq);
      CREATE INDEX audit_log_by_time ON audit_log (at);
      CREATE TABLE audit_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        link TEXT NOT NULL,
        mac TEXT NOT NULL
      ) STRICT;
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only (retention removes verified segments only)'); END;
    `);
  },
};
