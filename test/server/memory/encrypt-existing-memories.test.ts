/**
 * Memory × encryption: a home that had memories before `az db encrypt`. The encrypt command rewrites them
 * through the encrypting codec (vectors kept, nothing re-embedded) and compacts the local Chroma's file, so
 * the Chroma folder holds no plain text afterwards — and the memories are still found, with their metadata.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChromaClient } from 'chromadb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AzClient } from '../../../protocol/client.js';
import {
  addMemoryTool,
  listCollectionsTool,
  searchMemoryTool,
} from '../../../protocol/tools/memory-tools.js';
import { connectInProcess } from '../../helpers/in-process.js';
import { filesContaining } from '../../helpers/maintenance.js';
import { runAz } from '../../helpers/processes.js';
import { createTempHome, type TempHome } from '../../helpers/temp-home.js';

const MEMORIES = [
  { text: 'The staging vault passphrase is ZEBRA-ORCHID-7741.', metadata: { topic: 'TOPIC-CANARY-ops' } },
  { text: 'Invoices go out on the first Monday (ledger code QUOKKA-3319).', metadata: { topic: 'billing' } },
];

describe('az db encrypt on a home that already has memories', () => {
  let temp: TempHome;
  let chromaDir: string;

  async function withClient<T>(work: (client: AzClient) => Promise<T>): Promise<T> {
    const client = await connectInProcess(temp.env);
    try {
      return await work(client);
    } finally {
      // The last process leaves: the local Chroma stops (and is compacted when that was asked for).
      await client.close();
    }
  }

  beforeAll(async () => {
    temp = createTempHome('az-mem-encrypt-');
    chromaDir = join(temp.home, 'chroma');
    await withClient(async client => {
      await client.call(addMemoryTool, { items: MEMORIES });
      await client.call(addMemoryTool, { text: 'Ferrets sleep most of the day.', collection: 'pets' });
    });
  }, 60_000);

  afterAll(() => temp?.cleanup());

  it('stores them in clear before (the control)', () => {
    expect(filesContaining(chromaDir, 'ZEBRA-ORCHID').length).toBeGreaterThan(0);
    expect(filesContaining(chromaDir, 'TOPIC-CANARY').length).toBeGreaterThan(0);
  });

  it('encrypts the database and every collection, and leaves no plain text in the Chroma folder', async () => {
    const result = await runAz(['db', 'encrypt', '--json'], { env: temp.env, timeoutMs: 90_000 });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as {
      status: string;
      memories: { collection: string; count: number; reembedded: boolean }[];
    };
    expect(report.status).toBe('encrypted');
    expect(report.memories.map(found => [found.collection, found.count, found.reembedded])).toEqual([
      ['memories', 2, false],
      ['pets', 1, false],
    ]);
    expect(existsSync(join(temp.home, 'chroma.json'))).toBe(false);
    expect(existsSync(join(temp.home, 'chroma.compact'))).toBe(false);
    for (const secret of ['ZEBRA-ORCHID', 'QUOKKA-3319', 'TOPIC-CANARY', 'Ferrets sleep']) {
      expect(filesContaining(chromaDir, secret), secret).toEqual([]);
    }
  });

  it('still finds them by meaning, with their metadata, and filters on AZ-OS keys', async () => {
    await withClient(async client => {
      const found = await client.call(searchMemoryTool, {
        query: 'what is the vault password for staging?',
        where: { az_source: 'user' },
        k: 1,
      });
      expect(found.results[0]).toMatchObject({
        text: MEMORIES[0]?.text,
        metadata: { topic: 'TOPIC-CANARY-ops' },
      });
      const collections = await client.call(listCollectionsTool, {});
      expect(collections.collections.map(found => [found.name, found.count])).toEqual([
        ['memories', 2],
        ['pets', 1],
      ]);
      // Embeddings are AZ-OS's (computed in this process, sent with every write and query): Chroma's
      // collections have no embedding function of their own, so Chroma never needs a document's text.
      const state = JSON.parse(readFileSync(join(temp.home, 'chroma.json'), 'utf8')) as { port: number };
      const chroma = new ChromaClient({ host: '127.0.0.1', port: state.port });
      const stored = await chroma.getCollection({ name: 'memories' });
      expect(stored.configuration.embeddingFunction ?? null).toBeNull();
      const raw = await stored.get({ include: ['documents'] });
      expect(raw.documents.every(document => document?.startsWith('azenc:v1:'))).toBe(true);
    });
  });
});
