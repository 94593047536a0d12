// Data-protection benchmarks: what encryption costs (open, write, read), how fast backup, encrypt, restore
// verification and prune go, and the memory codec's throughput — each with a baseline measured in the same run.
// Run after `npm run build`:  node bench/data-protection.js
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { composeRuntime } from '../dist/server/compose.js';
import { openDatabase, writeTransaction } from '../dist/server/store/database.js';
import { keyFromSecret } from '../dist/server/data-protection/encryption/database-key.js';
import { createBackup } from '../dist/server/data-protection/backup/create-backup.js';
import { convertDatabase } from '../dist/server/data-protection/encryption/convert-database.js';
import { beginMaintenance } from '../dist/server/data-protection/maintenance/maintenance-lock.js';
import { sha256File } from '../dist/server/data-protection/files/file-ops.js';
import { runPrune } from '../dist/server/data-protection/retention/run-prune.js';
import { createEncryptingCodec } from '../dist/server/data-protection/memory/encrypting-codec.js';
import { resolveHome } from '../dist/protocol/home.js';

const RAW = keyFromSecret('cd'.repeat(32), 'bench');
const PASSPHRASE = keyFromSecret('a passphrase for the benchmark', 'bench');
const MB = 1024 * 1024;
const root = mkdtempSync(join(tmpdir(), 'az-bench-dp-'));
const lines = [];
const report = (name, value, unit, baseline, baselineName) => {
  const ratio = baseline === undefined ? '' : `  (${(value / baseline).toFixed(2)}× ${baselineName})`;
  lines.push(`${name.padEnd(52)} ${value.toFixed(unit === 'ms' ? 2 : 1).padStart(10)} ${unit}${ratio}`);
  console.log(lines.at(-1));
};
const median = values => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const time = fn => {
  const start = performance.now();
  fn();
  return performance.now() - start;
};
const timeAsync = async fn => {
  const start = performance.now();
  await fn();
  return performance.now() - start;
};

function newDb(name, key) {
  const db = openDatabase(join(root, name), { key });
  db.exec(
    'CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, task TEXT, data TEXT, created_at INTEGER)',
  );
  return db;
}

// 1. Opening: what every `az` command and `az mcp` process pays.
for (const [label, key] of [
  ['plain', undefined],
  ['raw key', RAW],
  ['passphrase', PASSPHRASE],
]) {
  newDb(`open-${label}.db`, key).close();
}
const opens = {};
for (const [label, key] of [
  ['plain', undefined],
  ['raw key', RAW],
  ['passphrase', PASSPHRASE],
]) {
  opens[label] = median(
    Array.from({ length: 15 }, () =>
      time(() => openDatabase(join(root, `open-${label}.db`), { key }).close()),
    ),
  );
}
report('open database, plain (median)', opens.plain, 'ms');
report('open database, encrypted with a raw key (median)', opens['raw key'], 'ms', opens.plain, 'plain');
report('open database, encrypted with a passphrase', opens.passphrase, 'ms', opens.plain, 'plain');

// 2. Writes: one committed transaction per event (synchronous=FULL), and a bulk insert (cipher CPU cost).
const payload = 'x'.repeat(1000);
const writes = {};
for (const [label, key] of [
  ['plain', undefined],
  ['encrypted', RAW],
]) {
  const db = newDb(`write-${label}.db`, key);
  const insert = db.prepare('INSERT INTO events (task, data, created_at) VALUES (?, ?, ?)');
  const committed = time(() => {
    for (let index = 0; index < 2000; index += 1) writeTransaction(db, () => insert.run('t', payload, index));
  });
  const bulk = time(() =>
    db.transaction(() => {
      for (let index = 0; index < 100_000; index += 1) insert.run('t', payload, index);
    })(),
  );
  const scan = time(() => db.prepare('SELECT sum(length(data)) FROM events').get());
  writes[label] = {
    committed: 2000 / (committed / 1000),
    bulk: 100_000 / (bulk / 1000),
    scan: (102_000 * 1000) / MB / (scan / 1000),
  };
  db.close();
}
report('committed writes/s (1 KB event each), plain', writes.plain.committed, '/s');
report('committed writes/s, encrypted', writes.encrypted.committed, '/s', writes.plain.committed, 'plain');
report('bulk inserts/s in one transaction, plain', writes.plain.bulk, '/s');
report(
  'bulk inserts/s in one transaction, encrypted',
  writes.encrypted.bulk,
  '/s',
  writes.plain.bulk,
  'plain',
);
report('full scan MB/s, plain', writes.plain.scan, 'MB/s');
report('full scan MB/s, encrypted', writes.encrypted.scan, 'MB/s', writes.plain.scan, 'plain');

// 3. Backup (online snapshot + checksums) of a ~100 MB home, against copying the file.
async function homeWith(name, key) {
  const env = { AZ_HOME: join(root, name), ...(key ? { AZ_DB_KEY: 'cd'.repeat(32) } : {}) };
  const runtime = await composeRuntime({ env }, 'in-process', { runTasks: false });
  const { db } = runtime.core;
  db.prepare(
    "INSERT INTO tasks (id, title, prompt, workspace, status, created_at, updated_at) VALUES ('t', 't', 't', '/tmp', 'COMPLETED', 0, 0)",
  ).run();
  const insert = db.prepare(
    "INSERT INTO task_events (task_id, type, data, created_at) VALUES ('t', 'step', ?, ?)",
  );
  db.transaction(() => {
    for (let index = 0; index < 100_000; index += 1) insert.run(payload, index);
  })();
  return { env, runtime };
}
const backups = {};
for (const [label, key] of [
  ['plain', false],
  ['encrypted', true],
]) {
  const { runtime } = await homeWith(`home-${label}`, key);
  runtime.core.db.pragma('wal_checkpoint(TRUNCATE)');
  const size = statSync(runtime.core.paths.database).size;
  const copy = await timeAsync(async () =>
    copyFileSync(runtime.core.paths.database, join(root, `copy-${label}.db`)),
  );
  const elapsed = await timeAsync(() =>
    createBackup(
      { path: join(root, `backup-${label}`), includeMemory: true, includeCheckpoints: true },
      {
        paths: runtime.core.paths,
        db: runtime.core.db,
        key: runtime.core.databaseKey(),
        progress: () => {},
        signal: new AbortController().signal,
      },
    ),
  );
  backups[label] = { mbps: size / MB / (elapsed / 1000), copy: size / MB / (copy / 1000), size };
  // Prune 100k events of a finished task: rows per second.
  runtime.core.configService.set('retention.task_events.max_count', 1);
  const prune = await timeAsync(() =>
    runPrune(runtime.core, { dryRun: false, trigger: 'manual', signal: new AbortController().signal }),
  );
  backups[label].prune = 100_000 / (prune / 1000);
  await runtime.close();
}
report(
  `backup MB/s, plain (${(backups.plain.size / MB).toFixed(0)} MB database)`,
  backups.plain.mbps,
  'MB/s',
  backups.plain.copy,
  'cp of the file',
);
report('backup MB/s, encrypted', backups.encrypted.mbps, 'MB/s', backups.plain.mbps, 'plain backup');
report('prune rows/s (task events, batches of 500), plain', backups.plain.prune, '/s');
report('prune rows/s, encrypted', backups.encrypted.prune, '/s', backups.plain.prune, 'plain');

// 4. Restore verification (SHA-256 of every file) and az db encrypt (copy, re-key, verify, swap).
const verify = await timeAsync(() => sha256File(join(root, 'backup-plain', 'az.db')));
report('restore verification MB/s (SHA-256)', backups.plain.size / MB / (verify / 1000), 'MB/s');
{
  const env = { AZ_HOME: join(root, 'home-convert') };
  const { runtime } = await homeWith('home-convert', false);
  await runtime.close();
  const paths = resolveHome({ env });
  const size = statSync(paths.database).size;
  const copy = await timeAsync(async () => copyFileSync(paths.database, join(root, 'copy-convert.db')));
  const session = beginMaintenance(paths, 'encrypt');
  const elapsed = await timeAsync(() =>
    convertDatabase(paths, { kind: 'encrypt', to: RAW }, 'encrypt', () => {}),
  );
  session.release();
  report(
    `az db encrypt MB/s (${(size / MB).toFixed(0)} MB)`,
    size / MB / (elapsed / 1000),
    'MB/s',
    size / MB / (copy / 1000),
    'cp of the file',
  );
}

// 5. Memory codec: 1 KB documents with metadata, encode + decode, against JSON round trips.
const codec = createEncryptingCodec({
  key: randomBytes(32),
  clearKeys: ['created_at'],
  indexedKeys: ['task_id'],
});
const record = {
  id: 'mem',
  document: 'y'.repeat(1024),
  metadata: { task_id: 'task-1', created_at: 1, kind: 'fact' },
};
const rounds = 20_000;
const baseline = time(() => {
  for (let index = 0; index < rounds; index += 1) JSON.parse(JSON.stringify(record));
});
const codecTime = time(() => {
  for (let index = 0; index < rounds; index += 1) codec.decode({ id: record.id, ...codec.encode(record) });
});
report(
  'memory codec encode+decode /s (1 KB documents)',
  rounds / (codecTime / 1000),
  '/s',
  rounds / (baseline / 1000),
  'JSON round trip',
);

rmSync(root, { recursive: true, force: true });
