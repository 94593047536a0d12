import type { Migration } from './index.js';

/**
 * HTTP tokens with roles. Only a SHA-256 of each token is stored (tokens are 256 random bits, so a fast hash
 * cannot be reversed or brute-forced); the token itself is shown once, at creation. Names are unique forever,
 * revoked ones included, so the audit log's "who" never becomes ambiguous.
 */
export const apiTokensMigration: Migration = {
  version: 20,
  name: 'api tokens with roles',
  up(db) {
    db.exec(`
      CREATE TABLE api_tokens (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
        token_sha256 TEXT NOT NULL UNIQUE,
        prefix TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        created_by TEXT NOT NULL,
        last_used_at INTEGER,
        revoked_at INTEGER,
        revoked_by TEXT
      ) STRICT;
    `);
  },
};
