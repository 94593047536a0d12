/** Doctor checks of the database: it opens (with the right key), passes quick_check, is migrated, and how it is encrypted. */
import { existsSync, readdirSync } from 'node:fs';
import type { DoctorCheck } from '../../../protocol/tools/data-tools.js';
import { isAppError } from '../../../protocol/errors.js';
import { openDatabase, type DatabaseKey, type Db } from '../../store/database.js';
import { pendingMigrations, schemaVersion } from '../../store/migrate.js';
import { activeMaintenance } from '../maintenance/maintenance-lock.js';
import {
  defaultKeyFile,
  fileExists,
  isDefaultKeyFile,
  pendingKeyFile,
  resolveDatabaseKey,
} from '../encryption/database-key.js';
import { databaseFileState, missingKeyError } from '../encryption/home-database.js';
import { fail, ok, skip, warn, type DoctorContext } from './doctor-check.js';

const INTEGRITY = 'Database integrity';
const MIGRATIONS = 'Database migrations';
const ENCRYPTION = 'Encryption at rest';

export function checkDatabase({ paths, env }: DoctorContext): DoctorCheck[] {
  const state = databaseFileState(paths.database);
  if (state === 'missing') {
    return [
      fail(
        'database',
        INTEGRITY,
        `no database at ${paths.database}`,
        'Run `az db init` (or `az db restore PATH` from a backup).',
      ),
      skip('migrations', MIGRATIONS, 'no database'),
      skip('encryption', ENCRYPTION, 'no database'),
    ];
  }
  const maintenance = activeMaintenance(paths);
  if (maintenance) {
    const detail = `az db ${maintenance.operation} (pid ${maintenance.pid}) is changing the database`;
    return [
      skip('database', INTEGRITY, detail),
      skip('migrations', MIGRATIONS, detail),
      skip('encryption', ENCRYPTION, detail),
    ];
  }
  let key: DatabaseKey | undefined;
  let keyProblem: string | undefined;
  try {
    key = resolveDatabaseKey(paths, env);
  } catch (error) {
    keyProblem = error instanceof Error ? error.message : String(error);
  }
  if (state === 'encrypted' && !key) {
    const detail = keyProblem ?? missingKeyError(paths.database).message;
    return [
      skip('database', INTEGRITY, 'cannot be checked without the key'),
      skip('migrations', MIGRATIONS, 'cannot be checked without the key'),
      fail(
        'encryption',
        ENCRYPTION,
        detail,
        keyProblem
          ? 'Fix the key setting as the message says.'
          : (missingKeyError(paths.database).hint as string),
      ),
    ];
  }
  let db: Db;
  try {
    db = openDatabase(paths.database, {
      key: state === 'encrypted' ? key : undefined,
      mustExist: true,
      keepJournalMode: true,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (isAppError(error) && error.code === 'CONFIG_INVALID') {
      return [
        skip('database', INTEGRITY, 'cannot be checked without the right key'),
        skip('migrations', MIGRATIONS, 'cannot be checked without the right key'),
        fail('encryption', ENCRYPTION, message, error.hint ?? 'Give the right key.'),
      ];
    }
    return [
      fail('database', INTEGRITY, message, 'Restore a backup with `az db restore PATH --force`.'),
      skip('migrations', MIGRATIONS, 'the database does not open'),
      skip('encryption', ENCRYPTION, 'the database does not open'),
    ];
  }
  try {
    return [integrity(db, paths.database), migrations(db), encryption(paths, state, key, keyProblem)];
  } finally {
    db.close();
  }
}

function integrity(db: Db, path: string): DoctorCheck {
  const result = (db.pragma('quick_check', { simple: true }) as string) ?? 'unknown';
  if (result !== 'ok') {
    return fail(
      'database',
      INTEGRITY,
      `quick_check found a problem: ${result}`,
      'Restore a backup with `az db restore PATH --force` (the damaged data is moved aside, not deleted).',
    );
  }
  return ok('database', INTEGRITY, `${path}: quick_check ok`);
}

function migrations(db: Db): DoctorCheck {
  try {
    const pending = pendingMigrations(db);
    if (pending.length > 0) {
      return warn(
        'migrations',
        MIGRATIONS,
        `schema v${schemaVersion(db)}, ${pending.length} migration(s) pending (${pending.map(m => `v${m.version}`).join(', ')})`,
        'Run `az db migrate` (az serve also applies them when it starts).',
      );
    }
    return ok('migrations', MIGRATIONS, `schema v${schemaVersion(db)}, up to date`);
  } catch (error) {
    return fail(
      'migrations',
      MIGRATIONS,
      error instanceof Error ? error.message : String(error),
      isAppError(error) && error.hint ? error.hint : 'Upgrade az.',
    );
  }
}

function encryption(
  paths: DoctorContext['paths'],
  state: 'plain' | 'encrypted',
  key: DatabaseKey | undefined,
  keyProblem: string | undefined,
): DoctorCheck {
  const retired = readdirSync(paths.home).filter(name => name.startsWith('db.key.retired-')).length;
  const retiredNote = retired > 0 ? `; ${retired} retired key(s) kept for older backups` : '';
  if (state === 'plain') {
    if (key || keyProblem) {
      return warn(
        'encryption',
        ENCRYPTION,
        `a database key is configured (${key?.source ?? keyProblem}), but the database is not encrypted`,
        'Run `az db encrypt` with the server stopped, or remove the key setting.',
      );
    }
    return ok('encryption', ENCRYPTION, `not encrypted (opt in with \`az db encrypt\`)${retiredNote}`);
  }
  if (fileExists(pendingKeyFile(paths)) && key && isDefaultKeyFile(paths, key)) {
    return warn(
      'encryption',
      ENCRYPTION,
      `encrypted; ${pendingKeyFile(paths)} is left from a key rotation that did not finish (the database still uses db.key)`,
      'Run `az db rekey` again, or delete db.key.new.',
    );
  }
  const inHome = key && isDefaultKeyFile(paths, key) && existsSync(defaultKeyFile(paths));
  return ok(
    'encryption',
    ENCRYPTION,
    `encrypted (SQLCipher 4), key from ${key?.source ?? 'unknown'}${inHome ? ' — keep a copy of it outside AZ_HOME' : ''}${retiredNote}`,
  );
}
