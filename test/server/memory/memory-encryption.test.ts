import { ChromaClient } from 'chromadb';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMemoryTool, searchMemoryTool } from '../../../protocol/tools/memory-tools.js';
import { pruneDataTool } from '../../../protocol/tools/data-tools.js';
import { setConfigTool } from '../../../protocol/tools/system-tools.js';
import type { AzClient } from '../../../protocol/client.js';
import { connectInProcess } from '../../helpers/in-process.js';
import { createTempHome, type TempHome } from '../../helpers/temp-home.js';
import { failure } from '../../helpers/failure.js';

describe('memory in a home whose database is encrypted', () => {
  let temp: TempHome;
  let client: AzClient;
  beforeAll(async () => {
    temp = createTempHome();
    temp.env.AZ_DB_KEY = 'correct horse battery staple memory';
    client = await connectInProcess(temp.env);
  });
  afterAll(async () => {
    await client.close();
    temp.cleanup();
  });

  it('sends only ciphertext to Chroma, yet searches and filters on AZ-OS keys', async () => {
    const { ids } = await client.call(addMemoryTool, {
      text: 'The vault password rotates every 90 days.',
      metadata: { topic: 'security' },
    });
    const state = JSON.parse(readFileSync(join(temp.home, 'chroma.json'), 'utf8')) as { port: number };
    const chroma = new ChromaClient({ host: '127.0.0.1', port: state.port });
    const stored = await (
      await chroma.getCollection({ name: 'memories' })
    ).get({ ids, include: ['documents', 'metadatas'] });
    expect(stored.documents[0]).toMatch(/^azenc:v1:/);
    expect(JSON.stringify(stored.metadatas[0])).not.toMatch(/security|vault/);
    const found = await client.call(searchMemoryTool, {
      query: 'password rotation',
      where: { az_source: 'user' },
    });
    expect(found.results[0]).toMatchObject({
      text: 'The vault password rotates every 90 days.',
      metadata: { topic: 'security' },
    });
    const refused = await failure(
      client.call(searchMemoryTool, { query: 'x', where: { topic: 'security' } }),
    );
    expect(refused.code).toBe('INVALID_INPUT');
    expect(refused.message).toMatch(/'topic' is encrypted/);
  });

  it('retention.memories deletes the oldest memories beyond the limit', async () => {
    await client.call(addMemoryTool, { text: 'A second, newer memory about backups.' });
    await client.call(setConfigTool, { key: 'retention.memories.max_count', value: 1 });
    const pruned = await client.call(pruneDataTool, { targets: ['memories'] });
    expect(JSON.stringify(pruned)).toMatch(/deleted 1 memories/);
    const left = await client.call(searchMemoryTool, { query: 'anything', k: 10 });
    expect(left.results.map(hit => hit.text)).toEqual(['A second, newer memory about backups.']);
  });
});
