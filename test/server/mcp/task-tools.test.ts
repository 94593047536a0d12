import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AzClient } from '../../../protocol/client.js';
import { AppError } from '../../../protocol/errors.js';
import {
  cancelTaskTool,
  createTaskTool,
  getTaskLogTool,
  getTaskTool,
  listTasksTool,
  retryTaskTool,
  waitTaskTool,
} from '../../../protocol/tools/task-tools.js';
import { getStatusTool } from '../../../protocol/tools/system-tools.js';
import { connectInProcess } from '../../helpers/in-process.js';
import { createTempHome, type TempHome } from '../../helpers/temp-home.js';

async function expectError(promise: Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  expect((error as AppError).message).toMatch(pattern);
}

describe('task tools over MCP (in-memory transport)', () => {
  let temp: TempHome;
  let client: AzClient;

  beforeEach(async () => {
    temp = createTempHome();
    client = await connectInProcess(temp.env);
  });

  afterEach(async () => {
    await client.close();
    temp.cleanup();
  });

  it('creates, lists, gets and logs a task', async () => {
    const { task } = await client.call(createTaskTool, {
      prompt: 'create function isPrime\nin TypeScript',
      priority: 8,
    });
    expect(task).toMatchObject({
      title: 'create function isPrime',
      status: 'PENDING',
      priority: 8,
      attempts: 0,
    });
    expect(task.workspace.startsWith(temp.home)).toBe(true);
    const listed = await client.call(listTasksTool, {});
    expect(listed.tasks.map(found => found.id)).toEqual([task.id]);
    expect((await client.call(getTaskTool, { task_id: task.id })).task.prompt).toBe(
      'create function isPrime\nin TypeScript',
    );
    const log = await client.call(getTaskLogTool, { task_id: task.id });
    expect(log.events.map(event => event.to_status)).toEqual(['INITIALIZED', 'PENDING']);
  });

  it('returns structuredContent and the same JSON as text for text-only clients', async () => {
    const result = await client.sdk.callTool({ name: 'get_status', arguments: {} });
    const text = (result.content as { type: string; text: string }[])[0]?.text ?? '';
    expect(JSON.parse(text)).toEqual(result.structuredContent);
  });

  it('rejects unknown keys and wrong types with INVALID_INPUT naming each field', async () => {
    await expectError(
      client.call(createTaskTool, { prompt: 'x', priority: 'high', extra: true } as never),
      'INVALID_INPUT',
      /priority: .*number.*unknown key 'extra'|unknown key 'extra'.*priority/s,
    );
  });

  it('refuses control characters and bidi overrides in titles', async () => {
    await expectError(
      client.call(createTaskTool, { prompt: 'x', title: 'evil\u001b[31mred' }),
      'INVALID_INPUT',
      /plain text/,
    );
    await expectError(
      client.call(createTaskTool, { prompt: 'x', title: 'abc\u202Edcb' }),
      'INVALID_INPUT',
      /plain text/,
    );
  });

  it('refuses a workspace that does not exist', async () => {
    await expectError(
      client.call(createTaskTool, { prompt: 'x', workspace: '/nonexistent/az-test' }),
      'INVALID_INPUT',
      /does not exist/,
    );
  });

  it('gives NOT_FOUND for an unknown task id and INVALID_INPUT for a malformed one', async () => {
    await expectError(
      client.call(getTaskTool, { task_id: '00000000-0000-4000-8000-000000000000' }),
      'NOT_FOUND',
      /no task/,
    );
    await expectError(client.call(getTaskTool, { task_id: "1' OR '1'='1" }), 'INVALID_INPUT', /task id/);
  });

  it('cancels a queued task to FINALIZED, idempotently', async () => {
    const { task } = await client.call(createTaskTool, { prompt: 'x' });
    expect(
      (await client.call(cancelTaskTool, { task_id: task.id, reason: 'changed my mind' })).task.status,
    ).toBe('FINALIZED');
    expect((await client.call(cancelTaskTool, { task_id: task.id })).task.status).toBe('FINALIZED');
    const log = await client.call(getTaskLogTool, { task_id: task.id });
    expect(log.events.at(-2)?.data).toMatchObject({ reason: 'changed my mind' });
  });

  it('refuses to retry a task that has not failed', async () => {
    const { task } = await client.call(createTaskTool, { prompt: 'x' });
    await expectError(
      client.call(retryTaskTool, { task_id: task.id }),
      'ILLEGAL_TRANSITION',
      /only FAILED tasks/,
    );
  });

  it('waits with a bounded timeout and reports done=false instead of failing', async () => {
    const { task } = await client.call(createTaskTool, { prompt: 'x' });
    const started = Date.now();
    const result = await client.call(waitTaskTool, { task_id: task.id, timeout_seconds: 0.3 });
    expect(result.done).toBe(false);
    expect(result.task.status).toBe('PENDING');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('wakes a waiter as soon as the task settles', async () => {
    const { task } = await client.call(createTaskTool, { prompt: 'x' });
    const waiting = client.call(waitTaskTool, { task_id: task.id, timeout_seconds: 20 });
    setTimeout(() => void client.call(cancelTaskTool, { task_id: task.id }), 100);
    const result = await waiting;
    expect(result.done).toBe(true);
    expect(result.waited_ms).toBeLessThan(5000);
  });

  it('reports status with task counts', async () => {
    await client.call(createTaskTool, { prompt: 'x' });
    const status = await client.call(getStatusTool, {});
    expect(status.tasks).toEqual({ total: 1, by_status: { PENDING: 1 } });
    expect(status.database.schema_version).toBeGreaterThanOrEqual(1);
    expect(status.caller.role).toBe('admin');
  });

  it('declares annotations and an output schema on every tool, with snake_case names', async () => {
    const { tools } = await client.sdk.listTools();
    expect(tools.length).toBeGreaterThan(5);
    for (const tool of tools) {
      expect(tool.name).toMatch(/^[a-z0-9_]+$/);
      expect(tool.annotations?.readOnlyHint).toBeTypeOf('boolean');
      expect(tool.annotations?.destructiveHint).toBeTypeOf('boolean');
      expect(tool.outputSchema?.type).toBe('object');
      expect(tool.inputSchema.additionalProperties).toBe(false);
    }
  });
});
