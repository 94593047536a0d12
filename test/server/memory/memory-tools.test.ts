import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCE_URIS } from '../../../protocol/resources.js';
import {
  addMemoryTool,
  deleteMemoryTool,
  listCollectionsTool,
  reindexMemoryTool,
  searchMemoryTool,
} from '../../../protocol/tools/memory-tools.js';
import { getStatusTool, setConfigTool } from '../../../protocol/tools/system-tools.js';
import type { AzClient } from '../../../protocol/client.js';
import { startEmbeddingsServer, type EmbeddingsServer } from '../../fixtures/embeddings-server.js';
import { connectInProcess } from '../../helpers/in-process.js';
import { createTempHome, type TempHome } from '../../helpers/temp-home.js';
import { failure } from '../../helpers/failure.js';

describe('memory tools on the local Chroma AZ-OS starts itself', () => {
  let temp: TempHome;
  let client: AzClient;
  let embeddings: EmbeddingsServer;

  beforeAll(async () => {
    temp = createTempHome();
    client = await connectInProcess(temp.env);
    embeddings = await startEmbeddingsServer(8);
  });
  afterAll(async () => {
    await client.close();
    await embeddings.close();
    temp.cleanup();
  });

  it('starts Chroma lazily: status says it starts on first use, then reports it running', async () => {
    const before = await client.call(getStatusTool, {});
    expect(before.components.memory?.detail).toMatch(/starts on first use/);
    await client.call(addMemoryTool, {
      text: 'Customer invoices are generated on the first day of each month.',
    });
    const after = await client.call(getStatusTool, {});
    expect(after.components.memory?.status).toBe('ok');
    expect(after.components.memory?.detail).toMatch(/local Chroma at 127\.0\.0\.1:\d+/);
    const state = JSON.parse(readFileSync(join(temp.home, 'chroma.json'), 'utf8')) as { port: number };
    expect(after.components.memory?.data?.port).toBe(state.port);
  });

  it('adds, searches by meaning with a metadata filter, lists and deletes memories', async () => {
    const added = await client.call(addMemoryTool, {
      items: [
        { text: 'The dog must be fed twice a day, morning and evening.', metadata: { topic: 'home' } },
        { text: 'Staff parking is behind the building.', metadata: { topic: 'office' } },
        {
          id: 'fixed-id',
          text: 'Deploying to production requires approval from two reviewers.',
          metadata: { topic: 'work', priority: 2 },
        },
      ],
    });
    expect(added.ids).toContain('fixed-id');
    const found = await client.call(searchMemoryTool, { query: 'When are bills sent to clients?', k: 2 });
    expect(found.results[0]?.text).toMatch(/invoices/);
    expect(found.results[0]?.metadata.az_source).toBe('user');
    const filtered = await client.call(searchMemoryTool, {
      query: 'release approval',
      where: { priority: { $gte: 2 } },
    });
    expect(filtered.results.map(hit => hit.id)).toEqual(['fixed-id']);
    const listed = await client.call(listCollectionsTool, {});
    expect(listed.collections).toEqual([
      {
        name: 'memories',
        count: 4,
        embedder: 'builtin:wordnet-hash-v1',
        dimension: 768,
        matches_configured: true,
      },
    ]);
    const resource = await client.readResource(RESOURCE_URIS.memoryCollections);
    expect(JSON.parse((resource.contents[0] as { text: string }).text).collections[0].count).toBe(4);
    expect(await client.call(deleteMemoryTool, { where: { topic: 'office' } })).toEqual({
      collection: 'memories',
      deleted: 1,
    });
    expect(await client.call(deleteMemoryTool, { ids: ['fixed-id'] })).toEqual({
      collection: 'memories',
      deleted: 1,
    });
  });

  it('refuses bad input with the field that was wrong', async () => {
    const reserved = await failure(
      client.call(addMemoryTool, { text: 'x', metadata: { az_source: 'forged' } }),
    );
    expect(reserved.code).toBe('INVALID_INPUT');
    expect(reserved.message).toMatch(/az_ are set by AZ-OS/);
    const both = await failure(client.call(addMemoryTool, { text: 'x', items: [{ text: 'y' }] } as never));
    expect(both.message).toMatch(/either text or items/);
    const name = await failure(client.call(searchMemoryTool, { query: 'x', collection: '../etc' }));
    expect(name.message).toMatch(/collection/);
  });

  it('records the embedder per collection: another embedder is a CONFLICT until reindex re-embeds', async () => {
    await client.call(setConfigTool, { key: 'memory.embedder', value: 'openai' });
    await client.call(setConfigTool, { key: 'memory.embedding_base_url', value: embeddings.url });
    const conflict = await failure(client.call(searchMemoryTool, { query: 'invoices' }));
    expect(conflict.code).toBe('CONFLICT');
    expect(conflict.hint).toMatch(/az memory reindex memories/);
    const reindexed = await client.call(reindexMemoryTool, {});
    expect(reindexed).toMatchObject({
      collection: 'memories',
      count: 2,
      embedder: 'openai:text-embedding-3-small',
      dimension: 8,
    });
    const found = await client.call(searchMemoryTool, { query: 'invoices', k: 5 });
    expect(found.results).toHaveLength(2);
    expect(embeddings.requests).toBeGreaterThan(0);
    await client.call(setConfigTool, { key: 'memory.embedder', value: 'builtin' });
  });
});

describe('memory when Chroma is unavailable', () => {
  it('memory tools fail with UNAVAILABLE and status says why', async () => {
    const temp = createTempHome();
    temp.env.AZ_MEMORY_CHROMA_URL = 'http://127.0.0.1:9/';
    const client = await connectInProcess(temp.env);
    try {
      const error = await failure(client.call(searchMemoryTool, { query: 'anything' }));
      expect(error.code).toBe('UNAVAILABLE');
      expect(error.message).toMatch(/not reachable/);
      const status = await client.call(getStatusTool, {});
      expect(status.components.memory).toMatchObject({ status: 'unavailable' });
      expect(status.components.memory?.detail).toMatch(/127\.0\.0\.1:9 is not reachable/);
    } finally {
      await client.close();
      temp.cleanup();
    }
  });
});
