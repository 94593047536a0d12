/**
 * Versioned migrations: each applied in its own IMMEDIATE transaction together with its row in
 * schema_migrations, so a crash leaves the database at a whole version. A database newer than this build is
 * refused rather than guessed at.
 */
import { AppError } from '../../protocol/errors.js';
import { writeTransaction, type Db } from './database.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';

export interface AppliedMigration {
  version: number;
  name: string;
  applied_at: string;
}

function ensureTable(db: Db): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`);
}

export function appliedMigrations(db: Db): AppliedMigration[] {
  const exists = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  if (!exists) return [];
  const rows = db
    .prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version')
    .all() as {
    version: number;
    name: string;
    applied_at: number;
  }[];
  return rows.map(row => ({ ...row, applied_at: new Date(row.applied_at).toISOString() }));
}

export function latestVersion(migrations: readonly Migration[] = MIGRATIONS): number {
  return migrations.at(-1)?.version ?? 0;
}

export function pendingMigrations(db: Db, migrations: readonly Migration[] = MIGRATIONS): Migration[] {
  const applied = appliedMigrations(db);
  const known = new Set(migrations.map(migration => migration.version));
  const unknown = applied.filter(row => !known.has(row.version));
  if (unknown.length > 0) {
    throw new AppError(
      'CONFLICT',
      `the database has schema version ${unknown.at(-1)?.version} (${unknown.at(-1)?.name}), which this az does not know`,
      { hint: 'It was written by a newer AZ-OS: upgrade az, or restore a backup made with this version.' },
    );
  }
  const done = new Set(applied.map(row => row.version));
  return migrations.filter(migration => !done.has(migration.version));
}

export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): Migration[] {
  ensureTable(db);
  const pending = pendingMigrations(db, migrations);
  for (const migration of pending) {
    writeTransaction(db, () => {
      // Re-check inside the lock: another process may have applied it meanwhile.
      const already = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(migration.version);
      if (already) return;
      migration.up(db);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        Date.now(),
      );
    });
  }
  return pending;
}

export function schemaVersion(db: Db): number {
  return appliedMigrations(db).at(-1)?.version ?? 0;
}
