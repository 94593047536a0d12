/**
 * The CLI's in-process client (protocol/transport-client.ts) against a real in-process server over the
 * in-memory transport: the handshake, contract-checked results, the same error codes as the other clients,
 * progress, cancellation and the time limit — and the server staying usable after each of them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../protocol/errors.js';
import { backupDatabaseTool } from '../../protocol/tools/data-tools.js';
import { getStatusTool } from '../../protocol/tools/system-tools.js';
import { createTaskTool, getTaskTool, listTasksTool, waitTaskTool } from '../../protocol/tools/task-tools.js';
import { TransportClient } from '../../protocol/transport-client.js';
import { openInProcess } from '../../server/index.js';
import { createTempHome, type TempHome } from '../helpers/temp-home.js';

const CLIENT = { name: 'transport-test', version: '0' };

describe('the in-process transport client', () => {
  let temp: TempHome;
  let client: TransportClient;
  let serverClosed: boolean;

  beforeEach(async () => {
    temp = createTempHome();
    serverClosed = false;
    const server = await openInProcess({ env: temp.env });
    client = await TransportClient.connect(server.clientTransport, CLIENT, async () => {
      await server.close();
      serverClosed = true;
    });
  });

  afterEach(async () => {
    await client.close();
    temp.cleanup();
  });

  it('calls tools after the handshake and parses results with the contracts', async () => {
    const { task } = await client.call(createTaskTool, { prompt: 'in process', start: false });
    expect((await client.call(getTaskTool, { task_id: task.id })).task.title).toBe('in process');
    const status = await client.call(getStatusTool, {});
    expect(status.mode).toBe('in-process');
  });

  it("turns the server's errors into the same AppErrors as the HTTP clients", async () => {
    const notFound = await client
      .call(getTaskTool, { task_id: '00000000-0000-4000-8000-000000000000' })
      .catch((error: unknown) => error);
    expect(notFound).toBeInstanceOf(AppError);
    expect((notFound as AppError).code).toBe('NOT_FOUND');
    expect((notFound as AppError).fromServer).toBe(true);
    const invalid = await client.call(listTasksTool, { limit: 'many' } as never).catch(e => e);
    expect((invalid as AppError).code).toBe('INVALID_INPUT');
    const unknown = await client
      .call({ ...getStatusTool, name: 'no_such_tool' } as typeof getStatusTool, {})
      .catch(e => e);
    expect((unknown as AppError).code).toBe('INVALID_INPUT');
    expect((unknown as AppError).message).toMatch(/no_such_tool/);
  });

  it('reports progress of a long call', async () => {
    const progress: number[] = [];
    const outside = mkdtempSync(join(tmpdir(), 'az-backup-'));
    try {
      const summary = await client.call(
        backupDatabaseTool,
        { path: join(outside, 'backup') },
        { onProgress: update => progress.push(update.progress) },
      );
      expect(summary.files).toBeGreaterThan(0);
      expect(progress.length).toBeGreaterThan(0);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('cancels a call when its signal aborts and times one out, and keeps working after both', async () => {
    const { task } = await client.call(createTaskTool, { prompt: 'never runs', start: false });
    const controller = new AbortController();
    const waiting = client
      .call(waitTaskTool, { task_id: task.id, timeout_seconds: 30 }, { signal: controller.signal })
      .catch((error: unknown) => error);
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const cancelled = await waiting;
    expect((cancelled as AppError).code).toBe('CANCELLED');
    expect(Date.now() - started).toBeLessThan(5000);

    const timedOut = await client
      .call(waitTaskTool, { task_id: task.id, timeout_seconds: 30 }, { timeoutMs: 100 })
      .catch((error: unknown) => error);
    expect((timedOut as AppError).code).toBe('TIMEOUT');

    expect((await client.call(getTaskTool, { task_id: task.id })).task.id).toBe(task.id);
  });

  it('fails pending and later calls clearly once closed, and closes the server', async () => {
    const { task } = await client.call(createTaskTool, { prompt: 'waits', start: false });
    const pending = client.call(waitTaskTool, { task_id: task.id, timeout_seconds: 30 }).catch(e => e);
    await new Promise(resolve => setTimeout(resolve, 50));
    await client.close();
    expect(((await pending) as AppError).code).toBe('UNAVAILABLE');
    expect(serverClosed).toBe(true);
    const after = await client.call(getStatusTool, {}).catch(e => e);
    expect((after as AppError).code).toBe('UNAVAILABLE');
  });
});
