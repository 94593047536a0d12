import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ChromaClient } from 'chromadb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityCodec } from '../../../server/data-protection/memory/document-codec.js';
import {
  createEncryptingCodec,
  ENVELOPE_PREFIX,
} from '../../../server/data-protection/memory/encrypting-codec.js';
import { homeMemoryCodec } from '../../../server/data-protection/memory/home-memory-codec.js';
import { openDatabase } from '../../../server/store/database.js';
import { migrate } from '../../../server/store/migrate.js';
import { startChroma, type ChromaServer } from '../../helpers/chroma.js';
import { filesContaining } from '../../helpers/maintenance.js';

const key = randomBytes(32);
const codec = createEncryptingCodec({ key, clearKeys: ['created_at'], indexedKeys: ['task_id', 'tags'] });
const record = {
  id: 'mem-1',
  document: 'The deploy password is hunter2-SECRET',
  metadata: {
    task_id: 'task-42',
    created_at: 1_700_000_000,
    tags: ['ops', 'deploy'],
    source: 'SECRET-SOURCE',
  },
};

describe('the encrypting memory codec', () => {
  it('encrypts text and metadata, keeps clear keys, hashes indexed keys, and decodes back exactly', () => {
    const stored = codec.encode(record);
    expect(stored.document.startsWith(ENVELOPE_PREFIX)).toBe(true);
    expect(JSON.stringify(stored)).not.toContain('SECRET');
    expect(JSON.stringify(stored)).not.toContain('task-42');
    expect(stored.metadata.created_at).toBe(1_700_000_000);
    expect(stored.metadata.task_id).toMatch(/^h:/);
    expect(stored.metadata).not.toHaveProperty('source');
    expect(codec.decode({ id: record.id, ...stored })).toEqual(record);
  });

  it('never writes the same ciphertext twice and binds it to its id', () => {
    const first = codec.encode(record);
    const second = codec.encode(record);
    expect(first.document).not.toBe(second.document);
    expect(() => codec.decode({ id: 'mem-2', ...first })).toThrow(/cannot be decrypted/);
    const tampered = `${first.document.slice(0, -4)}AAAA`;
    expect(() => codec.decode({ id: record.id, document: tampered, metadata: first.metadata })).toThrow(
      /cannot be decrypted/,
    );
  });

  it('rejects decryption with another key', () => {
    const other = createEncryptingCodec({
      key: randomBytes(32),
      indexedKeys: ['task_id', 'tags'],
      clearKeys: ['created_at'],
    });
    expect(() => other.decode({ id: record.id, ...codec.encode(record) })).toThrow(/cannot be decrypted/);
  });

  it('translates equality filters on indexed keys, passes clear keys, and refuses the rest with a reason', () => {
    const where = codec.encodeWhere({
      $and: [{ task_id: 'task-42' }, { created_at: { $gt: 5 } }, { tags: { $contains: 'ops' } }],
    });
    const stored = codec.encode(record).metadata;
    expect(where).toEqual({
      $and: [
        { task_id: stored.task_id },
        { created_at: { $gt: 5 } },
        { tags: { $contains: (stored.tags as string[])[0] } },
      ],
    });
    expect(() => codec.encodeWhere({ source: 'x' })).toThrow(/'source' is encrypted/);
    expect(() => codec.encodeWhere({ task_id: { $gt: 'a' } })).toThrow(/only equality filters/);
    expect(() => codec.assertDocumentFilterAllowed()).toThrow(/cannot be filtered by their text/);
  });

  it('reads records written before encryption as they are', () => {
    const plain = { id: 'old', document: 'plain text', metadata: { task_id: 't' } };
    expect(codec.decode(plain)).toEqual(plain);
  });

  it('follows the home: identity when never encrypted, encrypting when encrypted, decode-only after decrypt', () => {
    const db = openDatabase(':memory:');
    migrate(db);
    expect(homeMemoryCodec({ db, databaseEncrypted: false })).toBe(identityCodec);
    const encrypting = homeMemoryCodec({ db, databaseEncrypted: true });
    const sealed = encrypting.encode({ id: 'a', document: 'text', metadata: {} });
    const afterDecrypt = homeMemoryCodec({ db, databaseEncrypted: false });
    expect(afterDecrypt.encrypting).toBe(false);
    expect(afterDecrypt.decode({ id: 'a', ...sealed }).document).toBe('text');
    expect(afterDecrypt.encode({ id: 'b', document: 'new', metadata: {} }).document).toBe('new');
    db.close();
  });
});

describe('encrypted memory in a real Chroma server', () => {
  let dir: string;
  let chroma: ChromaServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'az-chroma-'));
    chroma = await startChroma(dir);
  });

  afterAll(async () => {
    await chroma.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves no plain text in the Chroma folder, and still finds and filters records', async () => {
    const client = new ChromaClient({ host: '127.0.0.1', port: chroma.port, ssl: false });
    const collection = await client.getOrCreateCollection({ name: 'memories', embeddingFunction: null });
    // The Chroma server pinned here (1.0.5) stores scalar metadata only, so no list values in this test.
    const records = [
      {
        id: 'mem-1',
        document: 'The deploy password is hunter2-SECRET',
        metadata: { task_id: 'task-42', kind: 'fact', created_at: 2, source: 'SECRET-SOURCE' },
      },
      {
        id: 'mem-2',
        document: 'Another SECRET note about billing',
        metadata: { task_id: 'task-7', kind: 'note', created_at: 1, source: 'x' },
      },
    ];
    const memoryCodec = createEncryptingCodec({
      key,
      clearKeys: ['created_at'],
      indexedKeys: ['task_id', 'kind'],
    });
    const encoded = records.map(item => memoryCodec.encode(item));
    await collection.add({
      ids: records.map(item => item.id),
      embeddings: [
        [1, 0, 0],
        [0, 1, 0],
      ],
      documents: encoded.map(item => item.document),
      metadatas: encoded.map(item => item.metadata),
    });
    const found = await collection.query({
      queryEmbeddings: [[0.9, 0.1, 0]],
      nResults: 1,
      where: memoryCodec.encodeWhere({ task_id: 'task-42' }),
    });
    const id = found.ids[0]?.[0] as string;
    const decoded = memoryCodec.decode({
      id,
      document: found.documents[0]?.[0] ?? null,
      metadata: (found.metadatas[0]?.[0] ?? null) as never,
    });
    expect(decoded).toEqual(records[0]);
    const notes = await collection.get({
      where: memoryCodec.encodeWhere({ $and: [{ kind: { $in: ['note'] } }, { created_at: { $lt: 2 } }] }),
    });
    expect(notes.ids).toEqual(['mem-2']);
    // Chroma persists to its folder (SQLite + segments); none of the text or metadata values is there.
    await new Promise(resolve => setTimeout(resolve, 500));
    expect(filesContaining(dir, 'SECRET')).toEqual([]);
    expect(filesContaining(dir, 'task-42')).toEqual([]);
    // The control: through the identity codec the same server does keep text in its folder.
    const control = await client.getOrCreateCollection({ name: 'control', embeddingFunction: null });
    const plain = identityCodec.encode({ id: 'c', document: 'CONTROL-PLAINTEXT', metadata: {} });
    await control.add({ ids: ['c'], embeddings: [[0, 0, 1]], documents: [plain.document] });
    await new Promise(resolve => setTimeout(resolve, 500));
    expect(filesContaining(dir, 'CONTROL-PLAINTEXT').length).toBeGreaterThan(0);
  });
});
