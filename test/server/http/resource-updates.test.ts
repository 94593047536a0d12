/**
 * Live updates of the cost and memory resources over real HTTP, in both protocol eras: a client subscribed to
 * azos://cost and azos://memory/collections hears notifications/resources/updated when a task run on the
 * scripted LLM server spends money and its summary becomes a memory, and when a budget is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AzClient } from '../../../protocol/client.js';
import { RESOURCE_URIS } from '../../../protocol/resources.js';
import { runTaskTool } from '../../../protocol/tools/agent-tools.js';
import { setBudgetTool } from '../../../protocol/tools/cost-tools.js';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../../fixtures/scripted-llm/server.js';
import { createAgentHome } from '../../helpers/agent-home.js';
import { connectHttp, type Era } from '../../helpers/http-client.js';
import { startDaemon, type Daemon } from '../../helpers/processes.js';
import type { TempHome } from '../../helpers/temp-home.js';

const WATCHED = [RESOURCE_URIS.cost, RESOURCE_URIS.memoryCollections];

/** Records every notifications/resources/updated the client receives. */
function recordUpdates(client: AzClient): string[] {
  const seen: string[] = [];
  client.sdk.setNotificationHandler('notifications/resources/updated', notification => {
    seen.push(notification.params.uri);
  });
  return seen;
}

async function subscribe(client: AzClient, era: Era): Promise<void> {
  if (era === 'legacy') {
    for (const uri of WATCHED) await client.sdk.subscribeResource({ uri });
  } else {
    const subscription = await client.sdk.listen({ resourceSubscriptions: WATCHED });
    expect(subscription.honoredFilter.resourceSubscriptions).toEqual(expect.arrayContaining(WATCHED));
  }
}

describe('cost and memory resource updates over HTTP', () => {
  let llm: ScriptedLlmServer;
  let temp: TempHome;
  let daemon: Daemon;

  beforeAll(async () => {
    llm = await startScriptedLlmServer({
      scenarios: [
        {
          name: 'summary',
          match: 'note the weather',
          turns: [{ content: 'It is sunny.', usage: { prompt_tokens: 500, completion_tokens: 20 } }],
        },
      ],
    });
    temp = createAgentHome({ llmUrl: llm.url, filesystem: false, config: { memory: { enabled: true } } });
    daemon = await startDaemon(temp.env);
  }, 60_000);

  afterAll(async () => {
    await daemon?.stop();
    await llm?.close();
    temp?.cleanup();
  });

  describe.each<Era>(['legacy', 'modern'])('%s era', era => {
    it('notifies a subscriber when a task spends money and its summary becomes a memory, and when a budget changes', async () => {
      const watcher = await connectHttp(daemon.url, daemon.token, era);
      const worker = await connectHttp(daemon.url, daemon.token, 'modern');
      try {
        const seen = recordUpdates(watcher);
        await subscribe(watcher, era);
        const { task } = await worker.call(
          runTaskTool,
          { prompt: `note the weather (${era})`, timeout_seconds: 60 },
          { timeoutMs: 70_000 },
        );
        expect(task.status).toBe('COMPLETED');
        await expect.poll(() => seen.includes(RESOURCE_URIS.cost), { timeout: 5000 }).toBe(true);
        await expect
          .poll(() => seen.includes(RESOURCE_URIS.memoryCollections), { timeout: 15_000 })
          .toBe(true);
        seen.length = 0;
        await worker.call(setBudgetTool, { scope: 'total', limit_usd: era === 'legacy' ? 5 : 6 });
        await expect.poll(() => seen.includes(RESOURCE_URIS.cost), { timeout: 5000 }).toBe(true);
        // Nothing it did not subscribe to.
        expect(seen.every(uri => WATCHED.includes(uri as (typeof WATCHED)[number]))).toBe(true);
      } finally {
        await worker.close();
        await watcher.close();
      }
    });
  });
});
