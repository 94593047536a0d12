import { execFileSync } from 'node:child_process';
import {
  lstatSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { AzClient } from '../../../protocol/client.js';
import {
  createCheckpointTool,
  diffCheckpointTool,
  listCheckpointsTool,
  restoreCheckpointTool,
} from '../../../protocol/tools/checkpoint-tools.js';
import { setConfigTool } from '../../../protocol/tools/system-tools.js';
import { openInProcess, type InProcessServer } from '../../../server/index.js';
import { createTempHome, type TempHome } from '../../helpers/temp-home.js';
import { failure } from '../../helpers/failure.js';

describe('checkpoints in a shadow git repository', () => {
  let temp: TempHome;
  let server: InProcessServer;
  let client: AzClient;
  let workspace: string;
  const read = (path: string) => readFileSync(join(workspace, path), 'utf8');

  beforeAll(async () => {
    temp = createTempHome();
    server = await openInProcess({ env: temp.env });
    const sdk = new Client({ name: 'az-test', version: '0.0.0' });
    await sdk.connect(server.clientTransport);
    client = new AzClient(sdk, () => server.close());
    await client.call(setConfigTool, { key: 'checkpoints.max_file_bytes', value: 2048 });
    workspace = mkdtempSync(join(tmpdir(), 'az-ws-'));
    execFileSync('git', ['init', '-q'], { cwd: workspace });
    writeFileSync(join(workspace, '.gitignore'), 'secret.env\n');
    writeFileSync(join(workspace, 'a.txt'), 'one\n');
    writeFileSync(join(workspace, 'secret.env'), 'TOKEN=1\n');
    writeFileSync(join(workspace, 'big.bin'), Buffer.alloc(4096, 1));
  });
  afterAll(async () => {
    await client.close();
    rmSync(workspace, { recursive: true, force: true });
    temp.cleanup();
  });

  it('checkpoints respect .gitignore, skip large files and never touch the workspace .git', async () => {
    const ownGit = execFileSync('git', ['status', '--porcelain'], { cwd: workspace, encoding: 'utf8' });
    const first = await client.call(createCheckpointTool, { workspace, message: 'first' });
    expect(first.created).toBe(true);
    expect(first.skipped_large).toEqual(['big.bin']);
    const again = await client.call(createCheckpointTool, { workspace });
    expect(again).toMatchObject({ created: false, checkpoint: { id: first.checkpoint?.id } });
    const files = execFileSync('git', ['ls-tree', '-r', '--name-only', first.checkpoint?.id as string], {
      cwd: workspace,
      env: { ...process.env, GIT_DIR: join(temp.home, 'checkpoints', readdir(temp.home)) },
      encoding: 'utf8',
    });
    expect(files.split('\n').filter(Boolean).sort()).toEqual(['.gitignore', 'a.txt']);
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: workspace, encoding: 'utf8' })).toBe(ownGit);
    expect(() => execFileSync('git', ['log'], { cwd: workspace, stdio: 'pipe' })).toThrow();
  });

  it('diffs and restores, and a restore can be undone', async () => {
    const before = (await client.call(listCheckpointsTool, { workspace })).checkpoints[0];
    writeFileSync(join(workspace, 'a.txt'), 'two\n');
    writeFileSync(join(workspace, 'new.txt'), 'added\n');
    const diff = await client.call(diffCheckpointTool, { workspace, checkpoint_id: before?.id as string });
    expect(diff.files).toEqual([
      { path: 'a.txt', status: 'M', additions: 1, deletions: 1 },
      { path: 'new.txt', status: 'A', additions: null, deletions: null },
    ]);
    const restored = await client.call(restoreCheckpointTool, {
      workspace,
      checkpoint_id: before?.short_id as string,
    });
    expect(read('a.txt')).toBe('one\n');
    expect(existsSync(join(workspace, 'new.txt'))).toBe(false);
    expect(read('secret.env')).toBe('TOKEN=1\n');
    expect(existsSync(join(workspace, 'big.bin'))).toBe(true);
    await client.call(restoreCheckpointTool, {
      workspace,
      checkpoint_id: restored.undo_checkpoint?.id as string,
    });
    expect(read('a.txt')).toBe('two\n');
    expect(read('new.txt')).toBe('added\n');
    const partial = await client.call(restoreCheckpointTool, {
      workspace,
      checkpoint_id: before?.id as string,
      paths: ['a.txt'],
    });
    expect(read('a.txt')).toBe('one\n');
    expect(read('new.txt')).toBe('added\n');
    expect(partial.undo_checkpoint).not.toBeNull();
  });

  it('refuses hostile ids and paths without touching anything outside the workspace', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'az-outside-'));
    const head = (await client.call(listCheckpointsTool, { workspace })).checkpoints[0]?.id as string;
    for (const id of ['--output=/tmp/x', 'HEAD~1', 'abc; rm -rf /', '../../x']) {
      expect((await failure(client.call(diffCheckpointTool, { workspace, checkpoint_id: id }))).code).toBe(
        'INVALID_INPUT',
      );
    }
    for (const path of ['../escape.txt', `${outside}/x`, '.git/config', 'sub/../../x', 'a\u0000b']) {
      const error = await failure(
        client.call(restoreCheckpointTool, { workspace, checkpoint_id: head, paths: [path] }),
      );
      expect(['PERMISSION_DENIED', 'INVALID_INPUT']).toContain(error.code);
    }
    for (const place of ['/', temp.home, join(temp.home, 'checkpoints')]) {
      expect((await failure(client.call(createCheckpointTool, { workspace: place }))).code).toBe(
        'PERMISSION_DENIED',
      );
    }
    // A folder replaced by a symlink to elsewhere: restoring must not write through it.
    mkdirSync(join(workspace, 'dir'));
    writeFileSync(join(workspace, 'dir', 'f.txt'), 'inside\n');
    const withDir = await client.call(createCheckpointTool, { workspace });
    rmSync(join(workspace, 'dir'), { recursive: true });
    symlinkSync(outside, join(workspace, 'dir'));
    await client.call(restoreCheckpointTool, { workspace, checkpoint_id: withDir.checkpoint?.id as string });
    expect(existsSync(join(outside, 'f.txt'))).toBe(false);
    expect(read('dir/f.txt')).toBe('inside\n');
    // The same through a partial restore: git replaces the link with a real folder, never writing through it.
    rmSync(join(workspace, 'dir'), { recursive: true });
    symlinkSync(outside, join(workspace, 'dir'));
    await client.call(restoreCheckpointTool, {
      workspace,
      checkpoint_id: withDir.checkpoint?.id as string,
      paths: ['dir/f.txt'],
    });
    expect(existsSync(join(outside, 'f.txt'))).toBe(false);
    expect(lstatSync(join(workspace, 'dir')).isDirectory()).toBe(true);
    expect(read('dir/f.txt')).toBe('inside\n');
    rmSync(outside, { recursive: true, force: true });
  });

  it("reports git's own refusals as a readable CONFLICT, not an internal error", async () => {
    const lock = join(temp.home, 'checkpoints', readdir(temp.home), 'index.lock');
    writeFileSync(lock, '');
    writeFileSync(join(workspace, 'a.txt'), 'while locked\n');
    try {
      const error = await failure(client.call(createCheckpointTool, { workspace }));
      expect(error.code).toBe('CONFLICT');
      expect(error.message).toMatch(/git refused: .*index\.lock/);
    } finally {
      rmSync(lock, { force: true });
    }
    expect((await client.call(createCheckpointTool, { workspace })).created).toBe(true);
  });

  it('task hooks checkpoint after steps that changed files and restore the matching one on resume', async () => {
    const core = server.runtime.core;
    const hooks = core.taskHooks.find(hook => hook.name === 'checkpoints');
    const task = { ...core.tasks.create({ prompt: 'edit files', workspace }, 'test'), attempts: 1 };
    await hooks?.beforeFirstStep?.(task, new AbortController().signal);
    writeFileSync(join(workspace, 'step1.txt'), 'step one\n');
    await hooks?.afterStep?.(task, { index: 1, toolCalls: ['write_file'], mayHaveChangedFiles: true });
    writeFileSync(join(workspace, 'step2.txt'), 'half of step two\n');
    await hooks?.afterStep?.(task, { index: 2, toolCalls: ['read_file'], mayHaveChangedFiles: false });
    const taskCheckpoints = await client.call(listCheckpointsTool, { task_id: task.id, only_task: true });
    expect(taskCheckpoints.checkpoints.map(item => [item.reason, item.step])).toEqual([
      ['step', 1],
      ['start', 0],
    ]);
    await hooks?.periodic?.run(task);
    const periodic = (await client.call(listCheckpointsTool, { workspace })).checkpoints[0];
    expect(periodic).toMatchObject({ reason: 'periodic', step: 2, task_id: task.id });
    expect(hooks?.periodic?.intervalMs).toBe(10 * 60_000);
    await hooks?.beforeResume?.(task, 1);
    expect(read('step1.txt')).toBe('step one\n');
    expect(existsSync(join(workspace, 'step2.txt'))).toBe(false);
    // The resume itself can be undone: the state before it (here, the periodic checkpoint) is kept.
    const latest = (await client.call(listCheckpointsTool, { workspace, limit: 3 })).checkpoints.map(
      item => item.reason,
    );
    expect(latest).toEqual(['restore', 'periodic', 'step']);
  });
});

function readdir(home: string): string {
  const names = execFileSync('ls', [join(home, 'checkpoints')], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  return names[0] as string;
}
