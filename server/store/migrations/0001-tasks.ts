import type { Migration } from './index.js';

export const tasksMigration: Migration = {
  version: 1,
  name: 'tasks and task events',
  up(db) {
    db.exec(`
      CREATE TABLE tasks (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        prompt TEXT NOT NULL,
        workspace TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN
          ('INITIALIZED','PENDING','RUNNING','COMPLETED','FAILED','RETRYING','CANCELLED','FINALIZED')),
        priority INTEGER NOT NULL DEFAULT 5,
        model TEXT,
        budget_micro_usd INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0,
        max_attempts INTEGER NOT NULL DEFAULT 3,
        steps INTEGER NOT NULL DEFAULT 0,
        cost_micro_usd INTEGER NOT NULL DEFAULT 0,
        error_code TEXT,
        error_message TEXT,
        error_hint TEXT,
        result TEXT,
        created_by TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER,
        not_before INTEGER,
        lease_owner TEXT,
        lease_expires_at INTEGER
      ) STRICT;
      CREATE INDEX tasks_queue ON tasks (status, priority DESC, seq);
      CREATE TABLE task_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        from_status TEXT,
        to_status TEXT,
        data TEXT,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX task_events_by_task ON task_events (task_id, seq);
    `);
  },
};
