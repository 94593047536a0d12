import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../server/store/database.js';
import { migrate } from '../../../server/store/migrate.js';
import { createTaskStore, type NewTask, type TaskStore } from '../../../server/tasks/task-store.js';

const newTask = (overrides: Partial<NewTask> = {}): NewTask => ({
  title: 'write isPrime',
  prompt: 'create function isPrime',
  workspace: '/tmp',
  priority: 5,
  model: null,
  budgetMicroUsd: null,
  maxAttempts: 3,
  start: true,
  createdBy: 'test',
  ...overrides,
});

describe('task store', () => {
  let dir: string;
  let db: Db;
  let store: TaskStore;
  const changes: string[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'az-store-'));
    db = openDatabase(join(dir, 'az.db'));
    migrate(db);
    changes.length = 0;
    store = createTaskStore({ db, onChange: change => changes.push(`${change.kind}:${change.status}`) });
  });

  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens SQLite in WAL mode with synchronous=FULL and foreign keys', () => {
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('creates a task with a random UUID, queued, with both status events', () => {
    const task = store.create(newTask());
    expect(task.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(task.status).toBe('PENDING');
    const { events } = store.events(task.id, 0, 10);
    expect(events.map(event => `${event.from_status}->${event.to_status}`)).toEqual([
      'null->INITIALIZED',
      'INITIALIZED->PENDING',
    ]);
    expect(changes).toEqual(['created:PENDING']);
  });

  it('writes the status and its event in one transaction: an illegal transition changes nothing', () => {
    const task = store.create(newTask());
    const before = db.prepare('SELECT count(*) AS n FROM task_events').get() as { n: number };
    expect(() => store.transition(task.id, 'COMPLETED')).toThrowError(/cannot become COMPLETED/);
    expect(store.get(task.id).status).toBe('PENDING');
    expect((db.prepare('SELECT count(*) AS n FROM task_events').get() as { n: number }).n).toBe(before.n);
  });

  it('rolls back earlier steps of a multi-step transition when a later one is illegal', () => {
    const task = store.create(newTask());
    expect(() => store.transition(task.id, ['RUNNING', 'RETRYING'])).toThrowError(
      /ILLEGAL|cannot become RETRYING/,
    );
    expect(store.get(task.id).status).toBe('PENDING');
  });

  it('stores SQL metacharacters and Unicode verbatim', () => {
    const title = "'; DROP TABLE tasks; -- ☃ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 e\u0301";
    const task = store.create(newTask({ title }));
    expect(store.get(task.id).title).toBe(title);
    expect(store.list({ limit: 10, search: "'; DROP" }).tasks.map(found => found.id)).toEqual([task.id]);
    expect(store.list({ limit: 10, search: '%' }).tasks).toEqual([]);
  });

  it('pages with a cursor, newest first, without gaps or repeats', () => {
    const ids = Array.from(
      { length: 25 },
      (_, index) => store.create(newTask({ title: `task ${index}` })).id,
    );
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = store.list({ limit: 10, cursor });
      seen.push(...page.tasks.map(task => task.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it('rejects a forged cursor with INVALID_INPUT', () => {
    expect(() => store.list({ limit: 10, cursor: '1 OR 1=1' })).toThrowError(/not one this server issued/);
  });

  it('filters by status', () => {
    const a = store.create(newTask());
    store.create(newTask({ start: false }));
    expect(store.list({ limit: 10, status: ['INITIALIZED'] }).tasks.map(task => task.status)).toEqual([
      'INITIALIZED',
    ]);
    expect(store.list({ limit: 10, status: ['PENDING'] }).tasks.map(task => task.id)).toEqual([a.id]);
  });

  it('counts tasks by status', () => {
    store.create(newTask());
    store.create(newTask());
    store.create(newTask({ start: false }));
    expect(store.countsByStatus()).toEqual({ PENDING: 2, INITIALIZED: 1 });
  });
});
