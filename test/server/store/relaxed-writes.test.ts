import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../server/store/database.js';
import { createRelaxedWrites, type RelaxedWrites } from '../../../server/store/relaxed-writes.js';
import { createTempHome, type TempHome } from '../../helpers/temp-home.js';

describe('relaxed writes (the agent hot path group commit)', () => {
  let temp: TempHome;
  let path: string;
  let db: Db;
  let writes: RelaxedWrites;

  beforeEach(() => {
    temp = createTempHome();
    path = `${temp.home}/group.db`;
    db = openDatabase(path);
    db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)');
    writes = createRelaxedWrites(db, path);
  });

  afterEach(async () => {
    await writes.close();
    db.close();
    temp.cleanup();
  });

  const insert = (text: string) => () =>
    Number(db.prepare('INSERT INTO notes (text) VALUES (?)').run(text).lastInsertRowid);
  const texts = (reader: Db = db): string[] =>
    (reader.prepare('SELECT text FROM notes ORDER BY id').all() as { text: string }[]).map(row => row.text);

  it('commits a batch before the event loop runs anything else that was waiting', async () => {
    // Under load the loop has many callbacks ready; a step that awaits its record must not wait behind them.
    let ranMeanwhile = 0;
    for (let index = 0; index < 50; index += 1) setImmediate(() => (ranMeanwhile += 1));
    const id = await writes.batch(insert('first'));
    expect(ranMeanwhile).toBe(0);
    expect(id).toBe(1);
    // Committed: another connection sees it at once.
    const reader = openDatabase(path);
    try {
      expect(texts(reader)).toEqual(['first']);
    } finally {
      reader.close();
    }
  });

  it('rolls back only the write that failed among those committed together', async () => {
    const results = await Promise.allSettled([
      writes.batch(insert('kept')),
      writes.batch(insert('kept')), // UNIQUE violation: only this one is undone
      writes.batch(() => {
        insert('also undone')();
        throw new Error('refused halfway');
      }),
      writes.batch(insert('kept too')),
    ]);
    expect(results.map(result => result.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(String((results[2] as PromiseRejectedResult).reason)).toContain('refused halfway');
    expect(texts()).toEqual(['kept', 'kept too']);
  });

  it('queues a write made while a batch commits into the next commit', async () => {
    const order: string[] = [];
    await writes.batch(() => {
      order.push('outer');
      void writes.batch(insert('inner')).then(() => order.push('inner committed'));
      return insert('outer')();
    });
    await writes.sync();
    expect(order).toEqual(['outer', 'inner committed']);
    expect(texts()).toEqual(['outer', 'inner']);
  });
});
