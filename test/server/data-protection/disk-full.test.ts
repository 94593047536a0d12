/**
 * A full disk, for real: a tmpfs of a few hundred KiB mounted in a private mount namespace (`unshare
 * --map-root-user --mount`, the same user namespaces bubblewrap needs; no root required). The database file
 * is a symlink into it, so only the database runs out of space, exactly as on a full disk — SQLite sees
 * ENOSPC from write(2) and answers SQLITE_FULL. A size cap (PRAGMA max_page_count) would only simulate that
 * inside SQLite; this exercises the OS path, the WAL and the server's error mapping together.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
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
    const result = spawnSync(
      'unshare',
      [
        '--map-root-user',
        '--mount',
        'sh',
        '-c',
        `mount -t tmpfs -o size=1400k tmpfs "$1" && sh -c '${script.replace(/'/g, "'\\''")}' "$1"`,
        'sh',
        mount,
      ],
      {
        encoding: 'utf8',
        env: { ...source.env, PATH: process.env.PATH } as NodeJS.ProcessEnv,
      },
    );
    expect(result.stdout).toContain('encrypt-exit=6');
    // Whether the copy or its re-encryption runs out of space, the message says nothing changed.
    expect(result.stderr).toMatch(
      /az: the disk (holding .* )?is full.*(changed nothing|the database was left as it was)/,
    );
    const jsonBlocks =
      result.stdout
        .split('\n')
        .join('\n')
        .match(/^\{[\s\S]*?^\}/gm) ?? [];
    const status = JSON.parse(jsonBlocks[0] as string) as {
      integrity: string;
      encryption: { encrypted: boolean };
    };
    expect(status).toMatchObject({ integrity: 'ok', encryption: { encrypted: false } });
    expect((JSON.parse(jsonBlocks[1] as string) as { tasks: unknown[] }).tasks).toHaveLength(12);
    expect(result.stdout).not.toMatch(/\.tmp|db\.key/);
  });

  it('is reported by az doctor before it happens', () => {
    const mount = scratch('az-full-doc-mnt-');
    mkdirSync(join(mount, 'placeholder'));
    const output = execFileSync(
      'unshare',
      [
        '--map-root-user',
        '--mount',
        'sh',
        '-c',
        `mount -t tmpfs -o size=2m tmpfs "$0" && node "${AZ_BIN}" --home "$0/home" doctor --json; true`,
        mount,
      ],
      {
        encoding: 'utf8',
        env: { ...createTempHome('az-doc-env-').env, AZ_HOME: undefined } as NodeJS.ProcessEnv,
      },
    );
    const disk = (
      JSON.parse(output) as { checks: { id: string; status: string; fix?: string }[] }
    ).checks.find(check => check.id === 'disk');
    expect(disk).toMatchObject({ status: 'fail', fix: expect.stringContaining('az db prune') });
  });
});
