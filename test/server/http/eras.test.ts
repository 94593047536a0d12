import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AzClient } from '../../../protocol/client.js';
import { taskUri } from '../../../protocol/resources.js';
import {
  cancelTaskTool,
  createTaskTool,
  getTaskTool,
  listTasksTool,
} from '../../../protocol/tools/task-tools.js';
import { connectHttp, type Era } from '../../helpers/http-client.js';
import { startDaemon, type Daemon } from '../../helpers/processes.js';
import { createTempHome, type TempHome } from '../../helpers/temp-home.js';

function nextUpdate(client: AzClient, uri: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no notifications/resources/updated for ${uri}`)),
      timeoutMs,
    );
    client.sdk.setNotificationHandler('notifications/resources/updated', notification => {
      if (notification.params.uri === uri) {
        clearTimeout(timer);
        resolve(notification.params.uri);
      }
    });
  });
}

describe.each<Era>(['legacy', 'modern'])('a real SDK client over HTTP, %s era', era => {
  let temp: TempHome;
  let daemon: Daemon;
  let client: AzClient;

  beforeAll(async () => {
    temp = createTempHome();
    daemon = await startDaemon(temp.env);
    client = await connectHttp(daemon.url, daemon.token, era);
  });

  afterAll(async () => {
    await client.close();
    await daemon.stop();
    temp.cleanup();
  });

  it('negotiates the expected protocol version', () => {
    expect(client.sdk.getNegotiatedProtocolVersion()).toBe(era === 'modern' ? '2026-07-28' : '2025-11-25');
  });

  it('runs the task tools end to end', async () => {
    const { task } = await client.call(createTaskTool, { prompt: `hello from the ${era} era` });
    expect((await client.call(getTaskTool, { task_id: task.id })).task.prompt).toBe(
      `hello from the ${era} era`,
    );
    expect((await client.call(listTasksTool, {})).tasks.some(found => found.id === task.id)).toBe(true);
  });

  it('lists the small core profile by default and more on request', async () => {
    const core = (await client.sdk.listTools()).tools.map(tool => tool.name);
    expect(core.length).toBeGreaterThanOrEqual(6);
    expect(core.length).toBeLessThanOrEqual(12);
    expect(core).not.toContain('set_config');
    const full = await connectHttp(daemon.url, daemon.token, era, { 'X-AZ-Tool-Profile': 'all' });
    try {
      expect((await full.sdk.listTools()).tools.map(tool => tool.name)).toContain('set_config');
    } finally {
      await full.close();
    }
  });

  it('reads resources, and every resource has a read tool', async () => {
    const { task } = await client.call(createTaskTool, { prompt: 'resource read' });
    const read = await client.readResource(taskUri(task.id));
    const content = read.contents[0] as { text: string; mimeType: string };
    expect(content.mimeType).toBe('application/json');
    expect(JSON.parse(content.text).task.id).toBe(task.id);
    const templates = await client.sdk.listResourceTemplates();
    expect(templates.resourceTemplates.map(template => template.uriTemplate)).toEqual(
      expect.arrayContaining(['azos://tasks/{id}', 'azos://tasks/{id}/events']),
    );
  });

  it('delivers notifications/resources/updated when a subscribed task changes', async () => {
    const { task } = await client.call(createTaskTool, { prompt: 'watch me' });
    const uri = taskUri(task.id);
    const updated = nextUpdate(client, uri);
    if (era === 'legacy') {
      await client.sdk.subscribeResource({ uri });
    } else {
      const subscription = await client.sdk.listen({ resourceSubscriptions: [uri] });
      expect(subscription.honoredFilter.resourceSubscriptions).toContain(uri);
    }
    await client.call(cancelTaskTool, { task_id: task.id });
    await expect(updated).resolves.toBe(uri);
  });
});
