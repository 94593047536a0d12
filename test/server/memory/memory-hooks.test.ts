import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMemoryTool, searchMemoryTool } from '../../../protocol/tools/memory-tools.js';
import { Client } from '@modelcontextprotocol/client';
import { AzClient } from '../../../protocol/client.js';
import { openInProcess, type InProcessServer } from '../../../server/index.js';
import type { Task } from '../../../protocol/task.js';
import { createTempHome, type TempHome } from '../../helpers/temp-home.js';

describe('memory in the task lifecycle', () => {
  let temp: TempHome;
  let server: InProcessServer;
  let client: AzClient;
  beforeAll(async () => {
    temp = createTempHome();
    server = await openInProcess({ env: temp.env });
    const sdk = new Client({ name: 'az-test', version: '0.0.0' });
    await sdk.connect(server.clientTransport);
    client = new AzClient(sdk, () => server.close());
  });
  afterAll(async () => {
    await client.close();
    temp.cleanup();
  });

  const hooks = () => server.runtime.core.taskHooks.find(hook => hook.name === 'memory');

  it('gives the agent the relevant memories and their ids before the first step', async () => {
    const { ids } = await client.call(addMemoryTool, {
      items: [
        { text: 'Customer invoices are generated on the first day of each month.' },
        { text: 'The dog must be fed twice a day.' },
      ],
    });
    const task = server.runtime.core.tasks.create(
      { prompt: 'Send the bills to our clients for this month' },
      'test',
    );
    const context = await hooks()?.beforeFirstStep?.(task, new AbortController().signal);
    expect(context?.ids[0]).toBe(ids[0]);
    expect(context?.text).toMatch(/invoices are generated/);
  });

  it('stores the summary of a completed task as a memory others can find', async () => {
    const task = server.runtime.core.tasks.create(
      { prompt: 'Find why the nightly export job is slow' },
      'test',
    );
    const completed: Task = {
      ...task,
      status: 'COMPLETED',
      result: 'The export job scanned the whole orders table; added an index on created_at.',
    };
    await hooks()?.onCompleted?.(completed);
    const found = await client.call(searchMemoryTool, {
      query: 'index on the orders table',
      where: { az_source: 'task' },
    });
    expect(found.results[0]).toMatchObject({ id: `task:${task.id}`, metadata: { az_task_id: task.id } });
    expect(found.results[0]?.text).toMatch(/Outcome: The export job/);
  });
});
