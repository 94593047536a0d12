import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { ChromaClient } from 'chromadb';
import { afterEach, describe, expect, it } from 'vitest';
import {
  backupDatabaseTool,
  encryptDatabaseTool,
  restoreBackupTool,
} from '../../../protocol/tools/data-tools.js';
import { createTaskTool, listTasksTool } from '../../../protocol/tools/task-tools.js';
import { connectInProcess, withInProcess } from '../../helpers/in-process.js';
import { connectMaintenance, filesContaining } from '../../helpers/maintenance.js';
import { startChroma } from '../../helpers/chroma.js';
import { createTempHome, type TempHome } from '../../helpers/temp-home.js';
import { failure } from '../../helpers/failure.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups.length = 0;
});

function home(extra: Record<string, string> = {}): TempHome {
  const created = createTempHome('az-backup-');
  Object.assign(created.env, extra);
  cleanups.push(() => created.cleanup());
  return created;
}

function backupPath(of: TempHome, name = 'backup'): string {
  const path = `${of.home}-${name}`;
  cleanups.push(() => rmSync(path, { recursive: true, force: true }));
  return path;
}

function tasksOf(env: Record<string, string | undefined>): Promise<string[]> {
  return withInProcess(env, async client =>
    (await client.call(listTasksTool, { limit: 200 })).tasks.map(task => task.title).sort(),
  );
}

function backup(env: Record<string, string | undefined>, path: string, onProgress?: () => void) {
  return withInProcess(env, client =>
    client.call(backupDatabaseTool, { path }, onProgress ? { onProgress } : {}),
  );
}

async function restore(env: Record<string, string | undefined>, path: string, force = false) {
  const client = await connectMaintenance(env);
  try {
    return await client.call(restoreBackupTool, { path, force });
  } finally {
    await client.close();
  }
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();
}

describe('backup and restore', () => {
  it('round-trips the database, a live Chroma folder and checkpoint repositories into a new home', async () => {
    const source = home();
    const client = await connectInProcess(source.env);
    for (const prompt of ['first task', 'second task'])
      await client.call(createTaskTool, { prompt, start: false });
    await client.close();
    const repo = join(source.home, 'checkpoints', 'workspace-1');
    mkdirSync(repo, { recursive: true });
    git(repo, 'init', '-q');
    writeFileSync(join(repo, 'file.txt'), 'checkpointed\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'checkpoint 1');
    const chroma = await startChroma(join(source.home, 'chroma'));
    try {
      const collection = await new ChromaClient({
        host: '127.0.0.1',
        port: chroma.port,
        ssl: false,
      }).getOrCreateCollection({
        name: 'memories',
        embeddingFunction: null,
      });
      await collection.add({ ids: ['m1'], embeddings: [[1, 2, 3]], documents: ['remember this'] });
      let progressed = 0;
      // Chroma keeps running (and owns its SQLite file) while the backup is taken.
      const result = await backup(source.env, backupPath(source), () => (progressed += 1));
      expect(progressed).toBeGreaterThan(0);
      expect(result.chroma.included).toBe(true);
      expect(result.chroma.files).toBeGreaterThan(0);
      expect(result.checkpoints).toMatchObject({ included: true });
      expect(result.database.encrypted).toBe(false);
    } finally {
      await chroma.stop();
    }

    const target = home();
    const restored = await restore(target.env, `${source.home}-backup`);
    expect(restored).toMatchObject({ moved_aside: null, encrypted: false });
    expect(await tasksOf(target.env)).toEqual(['first task', 'second task']);
    expect(git(join(target.home, 'checkpoints', 'workspace-1'), 'log', '--format=%s')).toBe('checkpoint 1');
    const restoredChroma = await startChroma(join(target.home, 'chroma'));
    try {
      const collection = await new ChromaClient({
        host: '127.0.0.1',
        port: restoredChroma.port,
        ssl: false,
      }).getCollection({
        name: 'memories',
        embeddingFunction: null,
      } as never);
      const found = await collection.query({ queryEmbeddings: [[1, 2, 3]], nResults: 1 });
      expect(found.documents[0]).toEqual(['remember this']);
    } finally {
      await restoredChroma.stop();
    }
  });

  it('snapshots a SQLite file in the memory folder whole, never beside its live WAL', async () => {
    const source = home();
    mkdirSync(join(source.home, 'chroma'), { recursive: true });
    // A store that keeps its WAL open and unmerged, as a running Chroma may.
    const live = new Database(join(source.home, 'chroma', 'store.sqlite3'));
    live.pragma('journal_mode = WAL');
    live.pragma('wal_autocheckpoint = 0');
    live.exec('CREATE TABLE items (value TEXT)');
    for (let index = 0; index < 50; index += 1)
      live.prepare('INSERT INTO items VALUES (?)').run(`item ${index}`);
    cleanups.push(() => void live.close());
    expect(existsSync(join(source.home, 'chroma', 'store.sqlite3-wal'))).toBe(true);
    const path = backupPath(source);
    await backup(source.env, path);
    expect(readdirSync(join(path, 'chroma'))).toEqual(['store.sqlite3']);
    const copy = new Database(join(path, 'chroma', 'store.sqlite3'), { readonly: true });
    expect(copy.prepare('SELECT count(*) FROM items').pluck().get()).toBe(50);
    copy.close();
  });

  it('keeps an encrypted database encrypted in the backup and restores it only with the key', async () => {
    const source = home();
    const client = await connectInProcess(source.env);
    await client.call(createTaskTool, { prompt: 'TOP-SECRET-PLAN', start: false });
    await client.close();
    const maintenance = await connectMaintenance(source.env);
    await maintenance.call(encryptDatabaseTool, {});
    await maintenance.close();
    const path = backupPath(source);
    await backup(source.env, path);
    expect(readdirSync(path).sort()).toEqual(['az.db', 'config.json', 'manifest.json']);
    expect(filesContaining(path, 'TOP-SECRET-PLAN')).toEqual([]);

    const target = home();
    const withoutKey = await failure(restore(target.env, path));
    expect(withoutKey.code).toBe('CONFIG_INVALID');
    expect(withoutKey.message).toContain('encrypted and no key was given');
    expect(existsSync(join(target.home, 'az.db'))).toBe(false);
    const withKey = { ...target.env, AZ_DB_KEY_FILE: join(source.home, 'db.key') };
    await restore(withKey, path);
    expect(await tasksOf(withKey)).toEqual(['TOP-SECRET-PLAN']);
  });

  it('never writes over anything, never into AZ_HOME, and takes only absolute paths', async () => {
    const source = home();
    const existing = backupPath(source, 'existing');
    mkdirSync(existing);
    expect(await failure(backup(source.env, existing))).toMatchObject({ code: 'CONFLICT' });
    expect(await failure(backup(source.env, join(source.home, 'backups', 'b1')))).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('inside AZ_HOME'),
    });
    // Through a link that points back into the home.
    const link = `${source.home}-link`;
    symlinkSync(source.home, link);
    cleanups.push(() => rmSync(link, { force: true }));
    expect(await failure(backup(source.env, join(link, 'b2')))).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await failure(backup(source.env, 'relative/path'))).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('must be an absolute path'),
    });
  });

  it('refuses a damaged backup before touching the home, and replaces data only with --force, keeping it aside', async () => {
    const source = home();
    let client = await connectInProcess(source.env);
    await client.call(createTaskTool, { prompt: 'from the backup', start: false });
    await client.close();
    const path = backupPath(source);
    await backup(source.env, path);

    const target = home();
    client = await connectInProcess(target.env);
    await client.call(createTaskTool, { prompt: 'already here', start: false });
    await client.close();
    const refused = await failure(restore(target.env, path));
    expect(refused.code).toBe('CONFLICT');
    expect(refused.hint).toContain('--force');

    const good = readFileSync(join(path, 'az.db'));
    appendFileSync(join(path, 'az.db'), Buffer.from([0]));
    expect(await failure(restore(target.env, path, true))).toMatchObject({
      message: expect.stringContaining('wrong size'),
    });
    const flipped = Buffer.from(good);
    flipped[flipped.length - 100] = (flipped[flipped.length - 100] ?? 0) ^ 0xff;
    writeFileSync(join(path, 'az.db'), flipped);
    expect(await failure(restore(target.env, path, true))).toMatchObject({
      message: expect.stringContaining('does not match its checksum'),
    });
    expect(await tasksOf(target.env)).toEqual(['already here']);

    writeFileSync(join(path, 'az.db'), good);
    const result = await restore(target.env, path, true);
    expect(await tasksOf(target.env)).toEqual(['from the backup']);
    expect(result.moved_aside).toMatch(/pre-restore-\d{8}T\d{6}Z$/);
    expect(await tasksOf({ ...target.env, AZ_HOME: result.moved_aside as string })).toEqual(['already here']);
  });

  it('refuses hostile manifests: paths outside the home, links, and incomplete backups', async () => {
    const source = home();
    const path = backupPath(source);
    await backup(source.env, path);
    const target = home();
    const manifestFile = join(path, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
      files: { path: string; size: number; sha256: string }[];
    };

    writeFileSync(
      manifestFile,
      JSON.stringify({
        ...manifest,
        files: [...manifest.files, { ...manifest.files[0], path: '../../etc/passwd' }],
      }),
    );
    expect(await failure(restore(target.env, path))).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('is not a path a backup may contain'),
    });

    mkdirSync(join(path, 'chroma'));
    symlinkSync('/etc/hostname', join(path, 'chroma', 'stolen'));
    writeFileSync(
      manifestFile,
      JSON.stringify({
        ...manifest,
        files: [...manifest.files, { path: 'chroma/stolen', size: 1, sha256: '0'.repeat(64) }],
      }),
    );
    expect(await failure(restore(target.env, path))).toMatchObject({
      message: expect.stringContaining('as a link or special file'),
    });

    rmSync(manifestFile);
    expect(await failure(restore(target.env, path))).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('not a complete AZ-OS backup'),
    });
    expect(existsSync(join(target.home, 'az.db'))).toBe(false);
  });
});
