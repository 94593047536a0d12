import type { Migration } from './index.js';

/**
 * The cost ledger: one row per metered model call (a reservation until it settles), running totals for the
 * budget checks (so a check never sums the whole ledger), and the day and total budgets. Money is integer
 * micro-dollars; a NULL cost means unknown (never 0).
 */
export const costLedgerMigration: Migration = {
  version: 11,
  name: 'cost ledger and budgets',
  up(db) {
    db.exec(`
      CREATE TABLE llm_calls (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        task_id TEXT REFERENCES tasks (id) ON DELETE SET NULL,
        journal_seq INTEGER,
        purpose TEXT NOT NULL CHECK (purpose IN ('step', 'sampling')),
        route TEXT NOT NULL,
        model TEXT,
        day TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('reserved', 'settled', 'failed', 'interrupted')),
        owner TEXT,
        reserved_micro_usd INTEGER NOT NULL DEFAULT 0,
        input_tokens INTEGER,
        cached_input_tokens INTEGER,
        output_tokens INTEGER,
        cost_micro_usd INTEGER,
        cost_source TEXT CHECK (cost_source IN ('proxy_header', 'usage_cost', 'price_table', 'unknown')),
        attempts INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        started_at INTEGER NOT NULL,
        finished_at INTEGER
      ) STRICT;
      CREATE INDEX llm_calls_by_task ON llm_calls (task_id);
      CREATE INDEX llm_calls_by_day ON llm_calls (day);
      CREATE INDEX llm_calls_open ON llm_calls (state) WHERE state = 'reserved';
      CREATE TABLE cost_totals (
        key TEXT PRIMARY KEY,
        spent_micro_usd INTEGER NOT NULL DEFAULT 0,
        reserved_micro_usd INTEGER NOT NULL DEFAULT 0,
        calls INTEGER NOT NULL DEFAULT 0,
        unknown_cost_calls INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE TABLE budgets (
        scope TEXT PRIMARY KEY CHECK (scope IN ('day', 'total')),
        limit_micro_usd INTEGER NOT NULL CHECK (limit_micro_usd >= 0),
        updated_at INTEGER NOT NULL
      ) STRICT;
      ALTER TABLE tasks ADD COLUMN unknown_cost_calls INTEGER NOT NULL DEFAULT 0;
    `);
  },
};
