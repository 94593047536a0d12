/**
 * Every resource has a read tool (Agent Zero uses tools only): each resource and resource template the server
 * lists is named in RESOURCE_READ_TOOLS, its tool is served and read-only, and both return the same data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AzClient } from '../../../protocol/client.js';
import {
  RESOURCE_READ_TOOLS,
  RESOURCE_TEMPLATES,
  RESOURCE_URIS,
  taskEventsUri,
  taskUri,
} from '../../../protocol/resources.js';
import { costSummaryTool, setBudgetTool } from '../../../protocol/tools/cost-tools.js';
import { listCollectionsTool } from '../../../protocol/tools/memory-tools.js';
import { getStatusTool } from '../../../protocol/tools/system-tools.js';
import {
  cancelTaskTool,
  createTaskTool,
  getTaskLogTool,
  getTaskTool,
  listTasksTool,
} from '../../../protocol/tools/task-tools.js';
import { connectInProcess } from '../../helpers/in-process.js';
import { createTempHome, type TempHome } from '../../helpers/temp-home.js';

describe('resources and their read tools', () => {
  let temp: TempHome;
  let client: AzClient;
  let taskId: string;

  async function resource(uri: string): Promise<Record<string, unknown>> {
    const read = await client.readResource(uri);
    return JSON.parse((read.contents[0] as { text: string }).text) as Record<string, unknown>;
  }

  beforeAll(async () => {
    temp = createTempHome('az-resources-');
    client = await connectInProcess(temp.env);
    taskId = (await client.call(createTaskTool, { prompt: 'read me twice' })).task.id;
    await client.call(cancelTaskTool, { task_id: taskId });
    await client.call(setBudgetTool, { scope: 'day', limit_usd: 2 });
  });

  afterAll(async () => {
    await client.close();
    temp.cleanup();
  });

  it('names a served, read-only tool for every resource and template the server lists', async () => {
    const listed = [
      ...(await client.sdk.listResources()).resources.map(found => found.uri),
      ...(await client.sdk.listResourceTemplates()).resourceTemplates.map(found => found.uriTemplate),
    ];
    expect(listed.sort()).toEqual(
      [...Object.values(RESOURCE_URIS), ...Object.values(RESOURCE_TEMPLATES)].sort(),
    );
    const tools = new Map((await client.sdk.listTools()).tools.map(tool => [tool.name, tool]));
    for (const uri of listed) {
      const name = RESOURCE_READ_TOOLS[uri];
      expect(name, `read tool of ${uri}`).toBeDefined();
      expect(tools.get(name as string)?.annotations?.readOnlyHint, `${name} is read-only`).toBe(true);
    }
  });

  it('returns the same data through the resource and through its tool', async () => {
    const status = await resource(RESOURCE_URIS.status);
    const viaTool = await client.call(getStatusTool, {});
    expect(status.tasks).toEqual(viaTool.tasks);
    expect(status.database).toEqual(viaTool.database);

    const tasks = (await resource(RESOURCE_URIS.tasks)) as { tasks: { id: string }[] };
    expect(tasks.tasks).toEqual((await client.call(listTasksTool, { limit: 100 })).tasks);

    expect(await resource(taskUri(taskId))).toEqual(await client.call(getTaskTool, { task_id: taskId }));

    const events = (await resource(taskEventsUri(taskId))) as { events: unknown[] };
    expect(events.events.length).toBeGreaterThan(0);
    expect(events.events).toEqual((await client.call(getTaskLogTool, { task_id: taskId })).events);

    const cost = (await resource(RESOURCE_URIS.cost)) as { total: unknown; budgets: unknown[] };
    expect(cost.total).toEqual((await client.call(costSummaryTool, {})).total);

    const collections = await resource(RESOURCE_URIS.memoryCollections);
    expect(collections).toEqual(await client.call(listCollectionsTool, {}));
  });
});
