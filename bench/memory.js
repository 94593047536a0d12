// Memory benchmark: search_memory latency at 10,000 and 100,000 memories (embedding reported apart), add
// throughput, and retrieval quality (top-1, top-3) of each available embedder against a BM25 keyword baseline.
// Runs against dist/ through a real MCP client on an in-process server with its own local Chroma.
//   node bench/memory.js                 (AZ_BENCH_SIZES=10000,100000 by default)
//   AZ_BENCH_EMBEDDINGS_URL=http://127.0.0.1:4000/v1 AZ_BENCH_EMBEDDINGS_MODEL=... adds the openai embedder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { AzClient } from '../dist/protocol/client.js';
import { addMemoryTool, listCollectionsTool, searchMemoryTool } from '../dist/protocol/tools/memory-tools.js';
import { openInProcess } from '../dist/server/index.js';
import {
  createBuiltinEmbedder,
  hashFeatures,
  textFeatures,
} from '../dist/server/memory/embedders/builtin/builtin-embedder.js';
import { createLocalModelEmbedder } from '../dist/server/memory/embedders/local-model-embedder.js';
import { createOpenAiEmbedder } from '../dist/server/memory/embedders/openai-embedder.js';
import { bm25Ranker } from '../dist/test/fixtures/keyword-baseline.js';
import { DISTRACTORS, QUALITY_CASES } from '../dist/test/fixtures/memory-quality-set.js';
import { percentile } from './lib.js';

const ms = value => `${value.toFixed(2)} ms`;

function seeded(seed) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const SIZES = (process.env.AZ_BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const QUERIES = 200;
const BATCH = 100;

const TEAMS = [
  'the payments team',
  'the on-call engineer',
  'our designer',
  'the data team',
  'support',
  'the CTO',
];
const VERBS = ['moved', 'fixed', 'rewrote', 'documented', 'postponed', 'reviewed', 'deleted', 'migrated'];
const THINGS = [
  'the billing export',
  'the login page',
  'the search index',
  'the backup job',
  'the mobile app',
];
const WHY = ['because customers complained', 'after the outage', 'to cut cloud costs', 'before the audit'];
const WHEN = ['on Monday', 'last sprint', 'in March', 'during the release', 'overnight'];

function sentence(random, index) {
  const pick = list => list[Math.floor(random() * list.length)];
  return `${pick(TEAMS)} ${pick(VERBS)} ${pick(THINGS)} ${pick(WHEN)} ${pick(WHY)} (ticket ${index}).`;
}

async function connect(env) {
  const server = await openInProcess({ env });
  const sdk = new Client({ name: 'az-bench', version: '0' });
  await sdk.connect(server.clientTransport);
  return new AzClient(sdk, () => server.close());
}

async function latency(client, builtin, total) {
  const random = seeded(7);
  const embedTimes = [];
  const searchTimes = [];
  const callTimes = [];
  for (let index = 0; index < QUERIES; index += 1) {
    const started = performance.now();
    const result = await client.call(searchMemoryTool, { query: sentence(random, index), k: 10 });
    callTimes.push(performance.now() - started);
    embedTimes.push(result.embedding_ms);
    searchTimes.push(result.search_ms);
  }
  // Baseline in the same run: an exact brute-force scan of the same number of 768-d vectors in this process.
  const dimension = 768;
  const matrix = new Float32Array(total * dimension);
  const random2 = seeded(3);
  for (let index = 0; index < matrix.length; index += 1) matrix[index] = random2() - 0.5;
  const [query] = await builtin.embed(['brute force baseline query']);
  const scanTimes = [];
  for (let run = 0; run < 20; run += 1) {
    const started = performance.now();
    let best = -Infinity;
    for (let row = 0; row < total; row += 1) {
      let dot = 0;
      const offset = row * dimension;
      for (let slot = 0; slot < dimension; slot += 1) dot += matrix[offset + slot] * query[slot];
      if (dot > best) best = dot;
    }
    scanTimes.push(performance.now() - started);
  }
  const p95 = percentile(searchTimes, 95);
  console.log(
    `search_memory at ${total.toLocaleString('en')} memories (k=10, ${QUERIES} queries): ` +
      `search p50 ${ms(percentile(searchTimes, 50))}, p95 ${ms(p95)} | ` +
      `embedding p50 ${ms(percentile(embedTimes, 50))}, p95 ${ms(percentile(embedTimes, 95))} | ` +
      `whole MCP call p50 ${ms(percentile(callTimes, 50))}, p95 ${ms(percentile(callTimes, 95))}`,
  );
  console.log(
    `  baseline: exact JS scan of ${total.toLocaleString('en')} vectors p50 ${ms(percentile(scanTimes, 50))}; ` +
      `search p95 is ${(p95 / percentile(scanTimes, 50)).toFixed(2)}x of it; target p95 <= 50 ms: ${p95 <= 50 ? 'met' : 'MISSED'}`,
  );
}

async function quality() {
  const documents = [
    ...QUALITY_CASES.map(item => ({ id: item.id, text: item.memory })),
    ...DISTRACTORS.map((text, index) => ({ id: `d${index}`, text })),
  ];
  const score = rank => {
    const result = { all: [0, 0], dev: [0, 0], 'held-out': [0, 0] };
    for (const item of QUALITY_CASES) {
      const position = rank(item.query).indexOf(item.id);
      for (const key of ['all', item.split]) {
        if (position === 0) result[key][0] += 1;
        if (position >= 0 && position < 3) result[key][1] += 1;
      }
    }
    return result;
  };
  const vectorRanker = async embed => {
    const vectors = await embed(documents.map(document => document.text));
    const queries = await embed(QUALITY_CASES.map(item => item.query));
    const byQuery = new Map(QUALITY_CASES.map((item, index) => [item.query, queries[index]]));
    return query => {
      const q = byQuery.get(query);
      return vectors
        .map((vector, index) => ({
          id: documents[index].id,
          s: vector.reduce((sum, v, slot) => sum + v * q[slot], 0),
        }))
        .sort((a, b) => b.s - a.s)
        .map(entry => entry.id);
    };
  };
  const rows = [['keyword baseline (BM25)', score(bm25Ranker(documents))]];
  rows.push([
    'hashed words only',
    score(
      await vectorRanker(texts =>
        Promise.resolve(texts.map(text => hashFeatures(textFeatures(text, undefined), 768))),
      ),
    ),
  ]);
  // The other offline candidate measured when the built-in embedder was chosen: words plus character 3-4-grams.
  const ngrams = text => {
    const features = textFeatures(text, undefined);
    for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
      const padded = `<${word}>`;
      for (let size = 3; size <= 4; size += 1) {
        for (let at = 0; at + size <= padded.length; at += 1) {
          const key = `g:${padded.slice(at, at + size)}`;
          features.set(key, (features.get(key) ?? 0) + 0.3);
        }
      }
    }
    return features;
  };
  rows.push([
    'hashed words + char n-grams',
    score(await vectorRanker(texts => Promise.resolve(texts.map(text => hashFeatures(ngrams(text), 768))))),
  ]);
  rows.push([
    'builtin:wordnet-hash-v1',
    score(await vectorRanker(texts => createBuiltinEmbedder().embed(texts))),
  ]);
  const optional = [];
  if (process.env.AZ_BENCH_EMBEDDINGS_URL) {
    const model = process.env.AZ_BENCH_EMBEDDINGS_MODEL ?? 'text-embedding-3-small';
    optional.push([
      `openai:${model}`,
      createOpenAiEmbedder({
        baseURL: process.env.AZ_BENCH_EMBEDDINGS_URL,
        apiKey: process.env.AZ_LLM_API_KEY ?? null,
        model,
        timeoutMs: 60_000,
      }),
    ]);
  } else
    console.log('openai embedder: not measured (set AZ_BENCH_EMBEDDINGS_URL to an OpenAI-compatible /v1)');
  const home = process.env.AZ_HOME ?? join(process.env.HOME ?? '', '.az-os');
  optional.push([
    'local:Xenova/all-MiniLM-L6-v2',
    createLocalModelEmbedder({ home, model: 'Xenova/all-MiniLM-L6-v2' }),
  ]);
  for (const [name, embedder] of optional) {
    try {
      rows.push([name, score(await vectorRanker(texts => embedder.embed(texts)))]);
    } catch (error) {
      console.log(`${name}: not available here (${error.message})`);
    }
  }
  const total = QUALITY_CASES.length;
  const baseline = rows[0][1].all;
  console.log(
    `retrieval quality, ${total} paraphrased queries among ${documents.length} memories (top-1 / top-3):`,
  );
  for (const [name, result] of rows) {
    const ratio = baseline[1] > 0 ? `${(result.all[1] / baseline[1]).toFixed(1)}x baseline top-3` : '';
    console.log(
      `  ${name.padEnd(32)} all ${result.all[0]}/${total} / ${result.all[1]}/${total}   ` +
        `dev ${result.dev[0]} / ${result.dev[1]}   held-out ${result['held-out'][0]} / ${result['held-out'][1]}   ${ratio}`,
    );
  }
}

const home = mkdtempSync(join(tmpdir(), 'az-bench-memory-'));
const env = { ...process.env, AZ_HOME: home, AZ_MEMORY_EMBEDDER: 'builtin', AZ_MEMORY_CHROMA_URL: undefined };
const client = await connect(env);
const builtin = createBuiltinEmbedder();
try {
  await quality();
  const random = seeded(42);
  let stored = 0;
  for (const size of SIZES) {
    const started = performance.now();
    let embedding = 0;
    const firstBatch = stored;
    while (stored < size) {
      const items = [];
      for (let index = 0; index < BATCH && stored + index < size; index += 1)
        items.push({ text: sentence(random, stored + index) });
      const result = await client.call(addMemoryTool, { items });
      embedding += result.embedding_ms;
      stored += items.length;
    }
    const seconds = (performance.now() - started) / 1000;
    const added = stored - firstBatch;
    console.log(
      `add_memory: ${added.toLocaleString('en')} memories in batches of ${BATCH}: ${(added / seconds).toFixed(0)} memories/s ` +
        `(${seconds.toFixed(1)} s, of which embedding ${(embedding / 1000).toFixed(1)} s)`,
    );
    const collections = await client.call(listCollectionsTool, {});
    console.log(`  collection holds ${collections.collections[0]?.count.toLocaleString('en')} memories`);
    await latency(client, builtin, size);
  }
} finally {
  await client.close();
  rmSync(home, { recursive: true, force: true });
}
