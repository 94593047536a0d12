import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AzClient } from '../../../protocol/client.js';
import { pruneDataTool } from '../../../protocol/tools/data-tools.js';
import { setConfigTool } from '../../../protocol/tools/system-tools.js';
import { cancelTaskTool, createTaskTool, getTaskLogTool } from '../../../protocol/tools/task-tools.js';
import { agentService } from '../../../server/agent/agent-service.js';
import { composeRuntime } from '../../../server/compose.js';
import { createMcpServerInstance } from '../../../server/mcp/create-mcp-server.js';
import { SERVICES } from '../../../server/services.js';
import { connectInProcess } from '../../helpers/in-process.js';
import { createTempHome, type TempHome } from '../../helpers/temp-home.js';

const DAY = 86_400_000;

let home: TempHome;
let client: AzClient;

beforeEach(async () => {
  home = createTempHome('az-retention-');
  client = await connectInProcess(home.env);
});

afterEach(async () => {
  await client.close();
  home.cleanup();
});

/** A task with `events` log events (a cancelled one has settled; an uncancelled one is still queued). */
async function task(events: number, settled: boolean): Promise<string> {
  const id = (await client.call(createTaskTool, { prompt: 'work', start: true })).task.id;
  if (settled) await client.call(cancelTaskTool, { task_id: id });
  const db = sqlite();
  const insert = db.prepare(
    "INSERT INTO task_events (task_id, type, data, created_at) VALUES (?, 'note', '{}', ?)",
  );
  for (
    let index = db.prepare('SELECT count(*) FROM task_events WHERE task_id = ?').pluck().get(id) as number;
    index < events;
    index += 1
  ) {
    insert.run(id, Date.now());
  }
  db.close();
  return id;
}

/** Moves a task and its whole log `days` into the past (a second connection, as another process would). */
function age(id: string, days: number): void {
  const db = sqlite();
  const then = Date.now() - days * DAY;
  db.prepare('UPDATE task_events SET created_at = ? WHERE task_id = ?').run(then, id);
  db.prepare(
    'UPDATE tasks SET created_at = ?, updated_at = ?, finished_at = CASE WHEN finished_at IS NULL THEN NULL ELSE ? END WHERE id = ?',
  ).run(then, then, then, id);
  db.close();
}

function sqlite(): Database.Database {
  const db = new Database(join(home.home, 'az.db'));
  db.pragma('busy_timeout = 5000');
  return db;
}

function eventCount(id: string): number {
  const db = sqlite();
  try {
    return db.prepare('SELECT count(*) FROM task_events WHERE task_id = ?').pluck().get(id) as number;
  } finally {
    db.close();
  }
}

async function set(key: string, value: unknown): Promise<void> {
  await client.call(setConfigTool, { key, value });
}

describe('retention', () => {
  it('does nothing until a limit is set, and says so for every policy', async () => {
    const old = await task(5, true);
    age(old, 400);
    const result = await client.call(pruneDataTool, {});
    expect(result.deleted).toBe(0);
    expect(result.results.map(row => row.status)).toEqual(Array(6).fill('disabled'));
    expect(eventCount(old)).toBe(5);
  });

  it('prunes events of finished tasks older than max_age_days and keeps everything inside the policy', async () => {
    const oldSettled = await task(6, true);
    const recentSettled = await task(4, true);
    const oldLive = await task(3, false);
    age(oldSettled, 40);
    age(recentSettled, 10);
    age(oldLive, 40);
    await set('retention.task_events.max_age_days', 30);

    const dry = await client.call(pruneDataTool, { dry_run: true });
    const dryEvents = dry.results.find(row => row.target === 'task_events');
    expect(dryEvents).toMatchObject({ status: 'dry_run', matched: 6, deleted: 0 });
    expect(eventCount(oldSettled)).toBe(6);

    const result = await client.call(pruneDataTool, {});
    expect(result.results.find(row => row.target === 'task_events')).toMatchObject({
      status: 'pruned',
      matched: 6,
      deleted: 6,
    });
    expect(eventCount(oldSettled)).toBe(0);
    expect(eventCount(recentSettled)).toBe(4);
    // A live task keeps its whole log, however old.
    expect(eventCount(oldLive)).toBe(3);
    const db = sqlite();
    const outside = db
      .prepare(
        "SELECT count(*) FROM task_events e JOIN tasks t ON t.id = e.task_id WHERE t.status IN ('COMPLETED','FAILED','CANCELLED','FINALIZED') AND e.created_at < ?",
      )
      .pluck()
      .get(Date.now() - 30 * DAY);
    db.close();
    expect(outside).toBe(0);
    // The task itself stays readable; only its old log is gone.
    expect((await client.call(getTaskLogTool, { task_id: oldSettled })).events).toEqual([]);
  });

  it('keeps only the newest max_count events, never those of live tasks', async () => {
    const first = await task(10, true);
    const live = await task(5, false);
    const last = await task(4, true);
    await set('retention.task_events.max_count', 6);
    const result = await client.call(pruneDataTool, { targets: ['task_events'] });
    expect(result.results).toHaveLength(1);
    // Newest 6 = the 4 of `last` and 2 of `live`; the 10 of `first` go, live ones stay.
    expect(eventCount(first)).toBe(0);
    expect(eventCount(live)).toBe(5);
    expect(eventCount(last)).toBe(4);
    expect(result.deleted).toBe(10);
  });

  it('deletes finished tasks past the limit with their events, never a live one', async () => {
    const oldDone = await task(3, true);
    const newDone = await task(3, true);
    const oldLive = await task(3, false);
    age(oldDone, 100);
    age(oldLive, 100);
    await set('retention.finished_tasks.max_age_days', 90);
    const result = await client.call(pruneDataTool, {});
    expect(result.results.find(row => row.target === 'finished_tasks')).toMatchObject({ deleted: 1 });
    const db = sqlite();
    const ids = db.prepare('SELECT id FROM tasks ORDER BY seq').pluck().all();
    db.close();
    expect(ids).toEqual([newDone, oldLive]);
    expect(eventCount(oldDone)).toBe(0);
  });

  it('reports a policy whose data this server does not store instead of ignoring it', async () => {
    // A server without the agent (which registers the journal targets) stores no step journals.
    const runtime = await composeRuntime({ env: home.env }, 'in-process', { runTasks: false }, [
      ...SERVICES.filter(service => service !== agentService),
    ]);
    const server = createMcpServerInstance(runtime.core, runtime.registry, {
      principal: { name: 'test', role: 'admin', via: 'in-process' },
      profile: 'all',
      liveUpdates: 'none',
    });
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await server.connect(serverTransport);
    const sdk = new Client({ name: 'az-test', version: '0.0.0' });
    await sdk.connect(clientTransport);
    const withoutAgent = new AzClient(sdk, () => server.close());
    try {
      await withoutAgent.call(setConfigTool, { key: 'retention.step_journals.max_age_days', value: 7 });
      const result = await withoutAgent.call(pruneDataTool, {});
      const journals = result.results.find(row => row.target === 'step_journals');
      expect(journals?.status).toBe('unavailable');
      expect(journals?.detail).toContain('nothing in this server stores step journals');
    } finally {
      await withoutAgent.close();
      await runtime.close();
    }
  });

  it('prunes step journals and tool outputs in a server that runs the agent', async () => {
    await set('retention.step_journals.max_age_days', 7);
    await set('retention.tool_outputs.max_count', 10);
    const result = await client.call(pruneDataTool, { targets: ['step_journals', 'tool_outputs'] });
    expect(result.results.map(row => [row.target, row.status])).toEqual([
      ['step_journals', 'pruned'],
      ['tool_outputs', 'pruned'],
    ]);
  });

  it('rejects an impossible limit with the reason', async () => {
    await expect(set('retention.audit.max_age_days', 0)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('retention.audit.max_age_days'),
    });
  });
});
