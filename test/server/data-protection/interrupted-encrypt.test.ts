/**
 * Killing `az db encrypt` in the middle (SIGKILL: no cleanup code runs) must leave the original database
 * exactly as it was, and the next run must succeed. Uses the built CLI (npm test builds first).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveHome } from '../../../protocol/home.js';
import {
  databaseFileState,
  openHomeDatabase,
} from '../../../server/data-protection/encryption/home-database.js';
import { migrate } from '../../../server/store/migrate.js';
import { AZ_BIN, runAz } from '../../helpers/processes.js';
import { createTempHome, type TempHome } from '../../helpers/temp-home.js';

let home: TempHome;
const TASKS = 200;
const EVENTS_PER_TASK = 100;

function counts(path: string): { tasks: number; events: number; sum: number } {
  const db = new Database(path, { readonly: true });
  try {
    return db
      .prepare(
        'SELECT (SELECT count(*) FROM tasks) AS tasks, (SELECT count(*) FROM task_events) AS events, (SELECT sum(length(data)) FROM task_events) AS sum',
      )
      .get() as { tasks: number; events: number; sum: number };
  } finally {
    db.close();
  }
}

beforeAll(() => {
  home = createTempHome('az-kill-');
  const paths = resolveHome({ env: home.env });
  const { db } = openHomeDatabase(paths, home.env);
  migrate(db);
  const insertTask = db.prepare(
    "INSERT INTO tasks (id, title, prompt, workspace, status, created_at, updated_at) VALUES (?, 't', 'p', '/tmp', 'COMPLETED', 0, 0)",
  );
  const insertEvent = db.prepare(
    "INSERT INTO task_events (task_id, type, data, created_at) VALUES (?, 'step', ?, 0)",
  );
  db.transaction(() => {
    for (let task = 0; task < TASKS; task += 1) {
      insertTask.run(`task-${task}`);
      for (let event = 0; event < EVENTS_PER_TASK; event += 1)
        insertEvent.run(`task-${task}`, `${'x'.repeat(2000)}${event}`);
    }
  })();
  db.close();
});

afterAll(() => home.cleanup());

describe('an interrupted az db encrypt', () => {
  it('leaves the original database intact when killed mid-way, and a second run encrypts it', async () => {
    const database = join(home.home, 'az.db');
    const before = counts(database);
    expect(before.events).toBe(TASKS * EVENTS_PER_TASK);
    const child = spawn(process.execPath, [AZ_BIN, 'db', 'encrypt'], { env: home.env, stdio: 'ignore' });
    const exited = new Promise(resolve => child.on('exit', resolve));
    // Kill it as soon as its working copy exists: it is then copying or re-keying.
    const deadline = Date.now() + 20_000;
    while (!readdirSync(home.home).some(name => name.startsWith('az.db.encrypt-'))) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error('az db encrypt never started its copy');
      await new Promise(resolve => setTimeout(resolve, 2));
    }
    child.kill('SIGKILL');
    await exited;
    expect(databaseFileState(database)).toBe('plain');
    expect(counts(database)).toEqual(before);
    const integrity = new Database(database, { readonly: true });
    expect(integrity.pragma('integrity_check', { simple: true })).toBe('ok');
    integrity.close();
    expect(existsSync(join(home.home, 'db.key'))).toBe(false);

    const again = await runAz(['db', 'encrypt', '--json'], { env: home.env, timeoutMs: 60_000 });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      status: 'encrypted',
      database: { rows: expect.any(Number) },
    });
    expect(databaseFileState(database)).toBe('encrypted');
    expect(readdirSync(home.home).filter(name => name.includes('.tmp') || name === 'db.key.new')).toEqual([]);
    const list = await runAz(['task', 'list', '--json', '--all'], { env: home.env });
    expect(list.code, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as { tasks: unknown[] }).tasks).toHaveLength(TASKS);
  });
});
