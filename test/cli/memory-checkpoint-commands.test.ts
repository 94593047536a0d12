import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCheckpointTool } from '../../protocol/tools/checkpoint-tools.js';
import { searchMemoryTool } from '../../protocol/tools/memory-tools.js';
import { connectInProcess } from '../helpers/in-process.js';
import { runAz, startDaemon, type Daemon } from '../helpers/processes.js';
import { createTempHome, type TempHome } from '../helpers/temp-home.js';

describe('az memory and az checkpoint against a running daemon', () => {
  let temp: TempHome;
  let daemon: Daemon;
  let docs: string;
  let workspace: string;
  const az = (...args: string[]) => runAz(args, { env: temp.env, cwd: workspace });

  beforeAll(async () => {
    temp = createTempHome();
    daemon = await startDaemon(temp.env);
    docs = mkdtempSync(join(tmpdir(), 'az-docs-'));
    workspace = mkdtempSync(join(tmpdir(), 'az-ws-'));
    mkdirSync(join(docs, 'ops'));
    writeFileSync(
      join(docs, 'ops', 'backups.md'),
      ['# Backups', '', 'Database backups are kept for 30 days in an encrypted bucket.'].join('\n'),
    );
    writeFileSync(join(docs, 'pets.md'), 'The dog is fed twice a day.\n');
    writeFileSync(join(docs, 'image.bin'), Buffer.from([0, 1, 2, 3]));
  });
  afterAll(async () => {
    await daemon.stop();
    for (const dir of [docs, workspace]) rmSync(dir, { recursive: true, force: true });
    temp.cleanup();
  });

  it('ingests files keeping path and line range, then finds them again', async () => {
    const ingest = await az('memory', 'ingest', docs, '--json');
    expect(ingest.code).toBe(0);
    expect(JSON.parse(ingest.stdout)).toMatchObject({
      files: 2,
      chunks: 2,
      skipped: [join(docs, 'image.bin')],
    });
    const again = await az('memory', 'ingest', docs, '--json');
    expect(JSON.parse(again.stdout).chunks).toBe(2);
    const search = await az('memory', 'search', 'how long are database backups kept?', '--k', '1', '--json');
    expect(search.code, search.stderr).toBe(0);
    const hit = JSON.parse(search.stdout).results[0];
    expect(hit.metadata).toMatchObject({
      path: join(docs, 'ops', 'backups.md'),
      line_start: 1,
      line_end: 3,
      source: 'ingest',
    });
    const listed = await az('memory', 'collections', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    const collections = JSON.parse(listed.stdout);
    expect(collections.collections[0].count).toBe(2);
    const status = await az('status');
    expect(status.stdout).toMatch(/memory\s+ok: local Chroma at 127\.0\.0\.1/);
  });

  it('a second process on the same home reuses the running Chroma instead of starting another', async () => {
    const before = JSON.parse(readFileSync(join(temp.home, 'chroma.json'), 'utf8')) as { pid: number };
    const client = await connectInProcess(temp.env);
    const found = await client.call(searchMemoryTool, { query: 'feeding the puppy', k: 1 });
    expect(found.results[0]?.text).toMatch(/dog is fed/);
    const during = JSON.parse(readFileSync(join(temp.home, 'chroma.json'), 'utf8')) as {
      pid: number;
      users: string[];
    };
    expect(during.pid).toBe(before.pid);
    expect(during.users).toHaveLength(2);
    await client.close();
    const after = JSON.parse(readFileSync(join(temp.home, 'chroma.json'), 'utf8')) as {
      pid: number;
      users: string[];
    };
    expect(after.pid).toBe(before.pid);
    expect(after.users).toHaveLength(1);
  });

  it('rejects bad memory input with exit code 2 and a message', async () => {
    const bad = await az('memory', 'add', 'x', '--meta', 'novalue');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/'novalue' is not key=value/);
  });

  it('lists, diffs and restores checkpoints of the current directory, and undoes a restore', async () => {
    const missing = await az('checkpoint', 'restore', 'abcdef12');
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/no checkpoints of/);
    writeFileSync(join(workspace, 'notes.txt'), 'first\n');
    const client = await connectInProcess(temp.env);
    const { checkpoint } = await client.call(createCheckpointTool, { workspace, message: 'before edits' });
    await client.close();
    writeFileSync(join(workspace, 'notes.txt'), 'second\n');
    const list = await az('checkpoint', 'list');
    expect(list.stdout).toMatch(/manual: before edits/);
    const diff = await az('checkpoint', 'diff', checkpoint?.short_id as string);
    expect(diff.stdout).toMatch(/M {2}notes\.txt {2}\+1 -1/);
    expect(diff.stdout).toMatch(/^\+second$/m);
    const restore = await az('checkpoint', 'restore', checkpoint?.short_id as string);
    expect(restore.code).toBe(0);
    expect(readFileSync(join(workspace, 'notes.txt'), 'utf8')).toBe('first\n');
    const undo = /az checkpoint restore (\w+)/.exec(restore.stdout)?.[1] as string;
    expect((await az('checkpoint', 'restore', undo)).code).toBe(0);
    expect(readFileSync(join(workspace, 'notes.txt'), 'utf8')).toBe('second\n');
    const hostile = await az('checkpoint', 'restore', checkpoint?.short_id as string, '../../etc/passwd');
    expect(hostile.code).toBe(7);
    expect(hostile.stderr).toMatch(/outside the workspace/);
  });
});
