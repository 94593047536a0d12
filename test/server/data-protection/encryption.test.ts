import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import {
  decryptDatabaseTool,
  encryptDatabaseTool,
  rekeyDatabaseTool,
} from '../../../protocol/tools/data-tools.js';
import { createTaskTool, listTasksTool } from '../../../protocol/tools/task-tools.js';
import { getDatabaseStatusTool } from '../../../protocol/tools/system-tools.js';
import { resolveHome } from '../../../protocol/home.js';
import {
  databaseFileState,
  openHomeDatabase,
} from '../../../server/data-protection/encryption/home-database.js';
import { beginMaintenance } from '../../../server/data-protection/maintenance/maintenance-lock.js';
import { applyKey } from '../../../server/store/database.js';
import { keyFromSecret } from '../../../server/data-protection/encryption/database-key.js';
import { connectInProcess, withInProcess } from '../../helpers/in-process.js';
import { connectMaintenance, filesContaining } from '../../helpers/maintenance.js';
import { createTempHome, type TempHome } from '../../helpers/temp-home.js';
import { failure } from '../../helpers/failure.js';

const SECRET = 'SECRET-PROMPT-c0ffee';
const PASSPHRASE = 'correct horse battery staple';

let homes: TempHome[] = [];
afterEach(() => {
  for (const home of homes) home.cleanup();
  homes = [];
});

function tempHome(extra: Record<string, string> = {}): TempHome {
  const home = createTempHome('az-enc-');
  Object.assign(home.env, extra);
  homes.push(home);
  return home;
}

function addTasks(env: Record<string, string | undefined>, count: number): Promise<string[]> {
  return withInProcess(env, async client => {
    const ids: string[] = [];
    for (let index = 0; index < count; index += 1) {
      ids.push(
        (await client.call(createTaskTool, { prompt: `${SECRET} number ${index}`, start: false })).task.id,
      );
    }
    return ids;
  });
}

function taskIds(env: Record<string, string | undefined>): Promise<string[]> {
  return withInProcess(env, async client =>
    (await client.call(listTasksTool, { limit: 100 })).tasks.map(task => task.id).sort(),
  );
}

describe('encryption at rest', () => {
  it('creates a database encrypted from its first byte when a key is configured, and hides every prompt', async () => {
    const { home, env } = tempHome({ AZ_DB_KEY: PASSPHRASE });
    const ids = await addTasks(env, 3);
    expect(databaseFileState(join(home, 'az.db'))).toBe('encrypted');
    expect(readFileSync(join(home, 'az.db')).subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
    // Not in the database, its WAL, or anywhere else in the home.
    expect(filesContaining(home, SECRET)).toEqual([]);
    expect((await taskIds(env)).sort()).toEqual([...ids].sort());
  });

  it('is unreadable without the key and with a wrong key, and readable with the right one', async () => {
    const { home, env } = tempHome({ AZ_DB_KEY: PASSPHRASE });
    await addTasks(env, 1);
    // A plain SQLite reader sees no database.
    const raw = new Database(join(home, 'az.db'));
    expect(() => raw.prepare('SELECT count(*) FROM tasks').get()).toThrow(/not a database/);
    raw.close();
    const missing = await failure(connectInProcess({ ...env, AZ_DB_KEY: undefined }));
    expect(missing.code).toBe('CONFIG_INVALID');
    expect(missing.message).toContain('is encrypted and no key was given');
    expect(missing.hint).toContain('AZ_DB_KEY');
    const wrong = await failure(connectInProcess({ ...env, AZ_DB_KEY: 'not the key' }));
    expect(wrong.code).toBe('CONFIG_INVALID');
    expect(wrong.message).toContain('the key is wrong');
    // The failed attempts changed nothing: the right key still opens every row.
    expect(await taskIds(env)).toHaveLength(1);
    const keyed = new Database(join(home, 'az.db'));
    applyKey(keyed, keyFromSecret(PASSPHRASE, 'test'));
    expect(keyed.prepare('SELECT count(*) AS n FROM tasks').get()).toEqual({ n: 1 });
    keyed.close();
  });

  it('encrypts an existing plain database with a generated 0600 key file, keeps every row, and leaks no plaintext afterwards', async () => {
    const { home, env } = tempHome();
    const ids = await addTasks(env, 5);
    expect(filesContaining(home, SECRET).length).toBeGreaterThan(0);
    const maintenance = await connectMaintenance(env);
    const result = await maintenance.call(encryptDatabaseTool, {});
    await maintenance.close();
    expect(result.status).toBe('encrypted');
    expect(result.key_file_created).toBe(join(home, 'db.key'));
    expect(result.database?.rows).toBeGreaterThanOrEqual(5);
    expect(readFileSync(join(home, 'db.key'), 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    expect(statSync(join(home, 'db.key')).mode & 0o777).toBe(0o600);
    // New writes go through the encrypted WAL; no copy of the old plaintext stays in the home.
    await addTasks(env, 2);
    expect(filesContaining(home, SECRET)).toEqual([]);
    expect(readdirSync(home).filter(name => name.includes('.tmp'))).toEqual([]);
    expect(await taskIds(env)).toEqual(expect.arrayContaining(ids));
    const status = await withInProcess(env, client => client.call(getDatabaseStatusTool, {}));
    expect(status.encryption).toEqual({
      encrypted: true,
      cipher: 'sqlcipher4',
      key_source: `key file ${join(home, 'db.key')}`,
    });
    expect(status.integrity).toBe('ok');
  });

  it('decrypts back to a plain SQLite file and keeps the retired key for old backups', async () => {
    const { home, env } = tempHome();
    await addTasks(env, 2);
    const maintenance = await connectMaintenance(env);
    await maintenance.call(encryptDatabaseTool, {});
    const result = await maintenance.call(decryptDatabaseTool, {});
    await maintenance.close();
    expect(result.status).toBe('decrypted');
    expect(databaseFileState(join(home, 'az.db'))).toBe('plain');
    expect(existsSync(join(home, 'db.key'))).toBe(false);
    expect(result.key_file_retired).toMatch(/db\.key\.retired-\d{8}T\d{6}Z$/);
    expect(await taskIds(env)).toHaveLength(2);
  });

  it('rotates the key: the old key stops working, the new one opens everything', async () => {
    const { home, env } = tempHome();
    await addTasks(env, 3);
    const maintenance = await connectMaintenance(env);
    await maintenance.call(encryptDatabaseTool, {});
    const oldKey = readFileSync(join(home, 'db.key'), 'utf8').trim();
    const result = await maintenance.call(rekeyDatabaseTool, {});
    await maintenance.close();
    const newKey = readFileSync(join(home, 'db.key'), 'utf8').trim();
    expect(newKey).not.toBe(oldKey);
    expect(readFileSync(result.key_file_retired as string, 'utf8').trim()).toBe(oldKey);
    expect(await taskIds(env)).toHaveLength(3);
    const old = await failure(connectInProcess({ ...env, AZ_DB_KEY: oldKey }));
    expect(old.code).toBe('CONFIG_INVALID');
  });

  it('rotates an environment key only to a new key the user gives, never to one it would have to store', async () => {
    const { env } = tempHome({ AZ_DB_KEY: PASSPHRASE });
    await addTasks(env, 1);
    let maintenance = await connectMaintenance(env);
    const refused = await failure(maintenance.call(rekeyDatabaseTool, {}));
    expect(refused.code).toBe('INVALID_INPUT');
    expect(refused.hint).toContain('AZ_DB_NEW_KEY');
    await maintenance.close();
    maintenance = await connectMaintenance({ ...env, AZ_DB_NEW_KEY: 'a brand new passphrase' });
    const result = await maintenance.call(rekeyDatabaseTool, {});
    await maintenance.close();
    expect(result.key_source).toBe('AZ_DB_NEW_KEY');
    expect(await taskIds({ ...env, AZ_DB_KEY: 'a brand new passphrase' })).toHaveLength(1);
  });

  it('finishes a key rotation that was interrupted after the database was swapped', async () => {
    const { home, env } = tempHome();
    await addTasks(env, 2);
    const maintenance = await connectMaintenance(env);
    await maintenance.call(encryptDatabaseTool, {});
    await maintenance.close();
    // The state a crash leaves between the swap and the key rename: database on the new key, db.key.new beside.
    const oldKey = readFileSync(join(home, 'db.key'), 'utf8').trim();
    const nextKey = 'b'.repeat(64);
    writeFileSync(join(home, 'db.key.new'), `${nextKey}\n`, { mode: 0o600 });
    const db = new Database(join(home, 'az.db'));
    applyKey(db, keyFromSecret(oldKey, 'old'));
    db.pragma('journal_mode = DELETE');
    db.rekey(keyFromSecret(nextKey, 'new').bytes);
    db.close();
    expect(await taskIds(env)).toHaveLength(2);
    expect(readFileSync(join(home, 'db.key'), 'utf8').trim()).toBe(nextKey);
    expect(existsSync(join(home, 'db.key.new'))).toBe(false);
    const retired = readdirSync(home).filter(name => name.startsWith('db.key.retired-'));
    expect(retired.map(name => readFileSync(join(home, name), 'utf8').trim())).toEqual([oldKey]);
  });

  it('refuses a key file other users may read, and says how to fix it', async () => {
    const { home, env } = tempHome();
    const keyFile = join(home, '..', `${home.split('/').pop()}-key`);
    writeFileSync(keyFile, 'some key\n', { mode: 0o644 });
    chmodSync(keyFile, 0o644);
    try {
      const error = await failure(connectInProcess({ ...env, AZ_DB_KEY_FILE: keyFile }));
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.message).toContain('may be read by other users (mode 0644)');
      expect(error.hint).toContain(`chmod 600 ${keyFile}`);
    } finally {
      rmSync(keyFile, { force: true });
    }
  });

  it('refuses to encrypt while another connection (any az process) has the database open, leaving it untouched', async () => {
    const { home, env } = tempHome();
    await addTasks(env, 2);
    const holder = await connectInProcess(env);
    try {
      const maintenance = await connectMaintenance(env);
      const error = await failure(maintenance.call(encryptDatabaseTool, {}));
      await maintenance.close();
      expect(error.code).toBe('CONFLICT');
      expect(error.message).toContain('another process has the database');
      expect(existsSync(join(home, 'db.key'))).toBe(false);
      expect(existsSync(join(home, 'db.key.new'))).toBe(false);
      expect(databaseFileState(join(home, 'az.db'))).toBe('plain');
      expect((await holder.call(listTasksTool, {})).tasks).toHaveLength(2);
    } finally {
      await holder.close();
    }
  });

  it('keeps every process out of the database while maintenance replaces it', () => {
    const { env } = tempHome();
    const paths = resolveHome({ env });
    openHomeDatabase(paths, env).db.close();
    const session = beginMaintenance(paths, 'encrypt');
    try {
      // Another process would see the lock; this one plays it by pretending the lock is not its own.
      const lockFile = join(paths.home, 'maintenance.lock');
      const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as { pid: number };
      writeFileSync(lockFile, JSON.stringify({ ...lock, pid: process.ppid }));
      expect(() => openHomeDatabase(paths, env)).toThrow(/being changed by `az db encrypt`/);
      writeFileSync(lockFile, JSON.stringify(lock));
    } finally {
      session.release();
    }
    openHomeDatabase(paths, env).db.close();
  });
});
