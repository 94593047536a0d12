/**
 * A full disk, for real: a tmpfs of a few hundred KiB mounted in a private mount namespace (`unshare
 * --map-root-user --mount`, the same user namespaces bubblewrap needs; no root required). The database file
 * is a symlink into it, so only the database runs out of space, exactly as on a full disk — SQLite sees
 * ENOSPC from write(2) and answers SQLITE_FULL. A size cap (PRAGMA max_page_count) would only simulate that
 * inside SQLite; this exercises the OS path, the WAL and the server's error mapping together.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppError } from '../../../protocol/errors.js';
import { getDatabaseStatusTool } from '../../../protocol/tools/system-tools.js';
import { createTaskTool, getTaskTool, listTasksTool } from '../../../protocol/tools/task-tools.js';
import { connectHttp } from '../../helpers/http-client.js';
import { connectInProcess } from '../../helpers/in-process.js';
import { AZ_BIN, runAz, startDaemon } from '../../helpers/processes.js';
import { createTempHome } from '../../helpers/temp-home.js';

/** Runs `command` with a tmpfs of `size` mounted at `mountPoint`, visible only to it and its children. */
function onTmpfs(mountPoint: string, size: string): string[] {
  return [
    'unshare',
    '--map-root-user',
    '--mount',
    'sh',
    '-c',
    `mount -t tmpfs -o size=${size} tmpfs "$0" && exec "$@"`,
    mountPoint,
  ];
}

/** Runs a shell script (its $0 is the mount point) with a private tmpfs of `size` mounted there. */
function inTmpfs(mountPoint: string, size: string, script: string, env: Record<string, string | undefined>) {
  return spawnSync(
    'unshare',
    [
      '--map-root-user',
      '--mount',
      'sh',
      '-c',
      `mount -t tmpfs -o size=${size} tmpfs "$1" && sh -c "$2" "$1"`,
      'sh',
      mountPoint,
      script,
    ],
    { encoding: 'utf8', env: { ...env, PATH: process.env.PATH } as NodeJS.ProcessEnv },
  );
}

/** The JSON documents a script printed one after another. */
function jsonDocuments(stdout: string): unknown[] {
  return (stdout.match(/^[{[][\s\S]*?^[}\]]/gm) ?? []).map(text => JSON.parse(text) as unknown);
}

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups.length = 0;
});

function scratch(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('a full disk', () => {
  it('makes writes fail with a clear error while the server keeps serving reads', async () => {
    const home = createTempHome('az-full-');
    cleanups.push(() => home.cleanup());
    const mount = scratch('az-full-mnt-');
    symlinkSync(join(mount, 'az.db'), join(home.home, 'az.db'));
    const daemon = await startDaemon(home.env, [], { launcher: onTmpfs(mount, '600k') });
    cleanups.push(async () => {
      await daemon.stop();
    });
    const client = await connectHttp(daemon.url, daemon.token, 'modern');
    cleanups.push(() => client.close());
    const created: string[] = [];
    let failure: AppError | undefined;
    for (let attempt = 0; attempt < 50 && !failure; attempt += 1) {
      try {
        created.push(
          (await client.call(createTaskTool, { prompt: `${attempt} ${'x'.repeat(90_000)}`, start: false }))
            .task.id,
        );
      } catch (error) {
        failure = error as AppError;
      }
    }
    expect(created.length).toBeGreaterThan(0);
    expect(failure).toMatchObject({
      code: 'UNAVAILABLE',
      message: 'the disk holding the AZ-OS database is full: the change was not saved',
      hint: expect.stringContaining('reading still works'),
    });
    // Reads keep working, every acknowledged write is there, and the file is sound.
    const listed = await client.call(listTasksTool, { limit: 100 });
    expect(listed.tasks.map(task => task.id).sort()).toEqual([...created].sort());
    for (const id of created) expect((await client.call(getTaskTool, { task_id: id })).task.id).toBe(id);
    expect((await client.call(getDatabaseStatusTool, {})).integrity).toBe('ok');
    const status = await runAz(['status', '--json'], { env: home.env });
    expect(status.code, status.stderr).toBe(0);
    expect(daemon.process.exitCode).toBeNull();
  });

  it('stops az db encrypt cleanly when the copy does not fit, leaving the database as it was', async () => {
    const source = createTempHome('az-full-enc-');
    cleanups.push(() => source.cleanup());
    const client = await connectInProcess(source.env);
    for (let index = 0; index < 12; index += 1)
      await client.call(createTaskTool, { prompt: `task ${index} ${'y'.repeat(50_000)}`, start: false });
    await client.close();
    const mount = scratch('az-full-enc-mnt-');
    const script = [
      `cp -a "${source.home}" "$0/home"`,
      `node "${AZ_BIN}" --home "$0/home" db encrypt; echo "encrypt-exit=$?"`,
      `node "${AZ_BIN}" --home "$0/home" db status --json`,
      `node "${AZ_BIN}" --home "$0/home" task list --json`,
      'ls "$0/home"',
    ].join('\n');
    // Room for the home (about 1 MiB) but not for a second copy of its database.
    const result = inTmpfs(mount, '1400k', script, source.env);
    expect(result.stdout).toContain('encrypt-exit=6');
    // Whether the copy or its re-encryption runs out of space, the message says nothing changed.
    expect(result.stderr).toMatch(
      /az: the disk (holding .* )?is full.*(changed nothing|the database was left as it was)/,
    );
    const [status, list] = jsonDocuments(result.stdout) as [
      { integrity: string; encryption: { encrypted: boolean } },
      { tasks: unknown[] },
    ];
    expect(status).toMatchObject({ integrity: 'ok', encryption: { encrypted: false } });
    expect(list.tasks).toHaveLength(12);
    expect(result.stdout).not.toMatch(/\.tmp|db\.key/);
  });

  it('stops a restore that does not fit and puts the replaced data back', async () => {
    const source = createTempHome('az-full-src-');
    cleanups.push(() => source.cleanup());
    let client = await connectInProcess(source.env);
    for (let index = 0; index < 20; index += 1)
      await client.call(createTaskTool, { prompt: `big ${index} ${'z'.repeat(90_000)}`, start: false });
    await client.close();
    const backup = `${source.home}-backup`;
    cleanups.push(() => rmSync(backup, { recursive: true, force: true }));
    expect((await runAz(['db', 'backup', backup], { env: source.env })).code).toBe(0);
    const target = createTempHome('az-full-dst-');
    cleanups.push(() => target.cleanup());
    client = await connectInProcess(target.env);
    await client.call(createTaskTool, { prompt: 'the data already here', start: false });
    await client.close();
    const mount = scratch('az-full-dst-mnt-');
    const script = [
      `cp -a "${target.home}" "$0/home"`,
      `node "${AZ_BIN}" --home "$0/home" db restore "${backup}" --force; echo "restore-exit=$?"`,
      `node "${AZ_BIN}" --home "$0/home" task list --json`,
      'ls "$0/home"',
    ].join('\n');
    const result = inTmpfs(mount, '1m', script, target.env);
    expect(result.stdout).toContain('restore-exit=6');
    expect(result.stderr).toMatch(
      /az: the disk holding .* is full \(ENOSPC\); the operation stopped and changed nothing/,
    );
    const [list] = jsonDocuments(result.stdout) as [{ tasks: { title: string }[] }];
    expect(list.tasks.map(task => task.title)).toEqual(['the data already here']);
    expect(result.stdout).not.toMatch(/pre-restore-|\.restoring-/);
  });

  it('is reported by az doctor before it happens', () => {
    const mount = scratch('az-full-doc-mnt-');
    const result = inTmpfs(mount, '2m', `node "${AZ_BIN}" --home "$0/home" doctor --json`, { HOME: mount });
    const disk = (
      jsonDocuments(result.stdout)[0] as { checks: { id: string; status: string; fix?: string }[] }
    ).checks.find(check => check.id === 'disk');
    expect(disk).toMatchObject({ status: 'fail', fix: expect.stringContaining('az db prune') });
  });
});
