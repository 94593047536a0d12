import type { Migration } from './index.js';

/**
 * The agent journal: every LLM call and tool call of a task, written as an intent before it starts and
 * completed with its outcome after it ends. Resume rebuilds the conversation from it. `generation` starts at 1
 * and goes up when a task is retried from scratch; resume and automatic retries continue the same generation.
 */
export const agentJournalMigration: Migration = {
  version: 10,
  name: 'agent journal',
  up(db) {
    db.exec(`
      CREATE TABLE agent_journal (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        generation INTEGER NOT NULL,
        attempt INTEGER NOT NULL,
        step INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('context', 'llm', 'tool')),
        call_id TEXT,
        name TEXT NOT NULL,
        intent TEXT NOT NULL,
        outcome TEXT,
        state TEXT NOT NULL CHECK (state IN ('started', 'done', 'failed', 'interrupted', 'skipped')),
        started_at INTEGER NOT NULL,
        finished_at INTEGER
      ) STRICT;
      CREATE INDEX agent_journal_by_task ON agent_journal (task_id, generation, seq);
    `);
  },
};
