/**
 * Data protection against a real running server (`az serve`) and a real second process writing like a running
 * task: online backup and restore, refusals while the server runs, the automatic prune, doctor's server view.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveHome } from '../../../protocol/home.js';
import { createTaskTool } from '../../../protocol/tools/task-tools.js';
import { openHomeDatabase } from '../../../server/data-protection/encryption/home-database.js';
import { migrate } from '../../../server/store/migrate.js';
import { connectHttp } from '../../helpers/http-client.js';
import { filesContaining } from '../../helpers/maintenance.js';
import { REPO_ROOT, runAz, startDaemon, type Daemon } from '../../helpers/processes.js';
import { createTempHome, type TempHome } from '../../helpers/temp-home.js';

const KEY = 'ab'.repeat(32);
const MARKER = 'WRITER-SECRET-PAYLOAD';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups.length = 0;
});

function home(extra: Record<string, string> = {}): TempHome {
  const created = createTempHome('az-live-');
  Object.assign(created.env, extra);
  cleanups.push(() => created.cleanup());
  return created;
}

async function daemon(env: Record<string, string | undefined>): Promise<Daemon> {
  const started = await startDaemon(env);
  cleanups.push(async () => {
    await started.stop();
  });
  return started;
}

interface Writer {
  process: ChildProcess;
  committed(): number;
  stop(): Promise<void>;
}

function startWriter(env: Record<string, string | undefined>): Promise<Writer> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'dist/test/fixtures/continuous-writer.js')], {
    env: { ...env, WRITER_PAYLOAD: '4000' } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let committed = 0;
  let output = '';
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.stderr.on('data', chunk => (output += chunk));
    child.stdout.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (line === 'ready') {
          resolve({
            process: child,
            committed: () => committed,
            async stop() {
              if (child.exitCode === null) child.kill('SIGTERM');
              await exited;
            },
          });
        } else if (/^\d+$/.test(line)) committed = Number(line);
      }
    });
    child.once('exit', code => reject(new Error(`writer exited with ${code}: ${output}`)));
  });
}

/** Puts about `megabytes` of finished-task history into a new home's database (encrypted when env has a key). */
function prefill(env: Record<string, string | undefined>, megabytes: number): void {
  const { db } = openHomeDatabase(resolveHome({ env }), env);
  migrate(db);
  const task = db.prepare(
    "INSERT INTO tasks (id, title, prompt, workspace, status, created_at, updated_at) VALUES (?, 'bulk', 'bulk', '/tmp', 'COMPLETED', 0, 0)",
  );
  const event = db.prepare(
    "INSERT INTO task_events (task_id, type, data, created_at) VALUES (?, 'step', ?, 0)",
  );
  db.transaction(() => {
    for (let index = 0; index < megabytes * 25; index += 1) {
      task.run(`bulk-${index}`);
      for (let step = 0; step < 10; step += 1) event.run(`bulk-${index}`, `${MARKER}${'b'.repeat(4000)}`);
    }
  })();
  db.close();
}

describe('with a running server', () => {
  it('takes a backup while a task process and the server write, and it restores to a consistent state', async () => {
    const source = home({ AZ_DB_KEY: KEY });
    prefill(source.env, 24);
    const server = await daemon(source.env);
    const writer = await startWriter(source.env);
    cleanups.push(() => writer.stop());
    const http = await connectHttp(server.url, server.token, 'modern');
    let serverWrites = 0;
    let writing = true;
    const serverWriter = (async () => {
      while (writing) {
        await http.call(createTaskTool, { prompt: `${MARKER} via the server`, start: false });
        serverWrites += 1;
      }
    })();
    await new Promise(resolve => setTimeout(resolve, 300));
    const backupPath = `${source.home}-backup`;
    cleanups.push(() => rmSync(backupPath, { recursive: true, force: true }));
    const before = { writer: writer.committed(), server: serverWrites };
    const backup = await runAz(['db', 'backup', backupPath, '--json'], {
      env: source.env,
      timeoutMs: 60_000,
    });
    const after = { writer: writer.committed(), server: serverWrites };
    writing = false;
    await serverWriter;
    await http.close();
    await writer.stop();
    expect(backup.code, backup.stderr).toBe(0);
    // Both writers kept committing while the backup ran.
    expect(after.writer).toBeGreaterThan(before.writer);
    expect(after.server).toBeGreaterThan(before.server);
    expect(JSON.parse(backup.stdout)).toMatchObject({ database: { encrypted: true } });
    expect(filesContaining(backupPath, MARKER)).toEqual([]);

    const target = home({ AZ_DB_KEY: KEY });
    const restored = await runAz(['db', 'restore', backupPath, '--json'], {
      env: target.env,
      timeoutMs: 60_000,
    });
    expect(restored.code, restored.stderr).toBe(0);
    const { db } = openHomeDatabase(resolveHome({ env: target.env }), target.env);
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const broken = db
        .prepare(
          "SELECT t.id, t.steps, (SELECT count(*) FROM task_events e WHERE e.task_id = t.id) AS events FROM tasks t WHERE t.id LIKE 'writer-%' AND t.steps != events",
        )
        .all();
      expect(broken).toEqual([]);
      const writerTasks = db
        .prepare("SELECT count(*) FROM tasks WHERE id LIKE 'writer-%'")
        .pluck()
        .get() as number;
      expect(writerTasks).toBeGreaterThan(0);
      expect(db.prepare("SELECT count(*) FROM tasks WHERE id LIKE 'bulk-%'").pluck().get()).toBe(24 * 25);
      const viaServer = db
        .prepare("SELECT count(*) FROM tasks WHERE prompt LIKE 'WRITER-SECRET-PAYLOAD via%'")
        .pluck()
        .get() as number;
      expect(viaServer).toBeGreaterThanOrEqual(before.server);
      // Every task the server created came with its creation event in the same transaction.
      expect(
        db
          .prepare(
            "SELECT count(*) FROM tasks t WHERE t.id NOT LIKE 'writer-%' AND t.id NOT LIKE 'bulk-%' AND NOT EXISTS (SELECT 1 FROM task_events e WHERE e.task_id = t.id)",
          )
          .pluck()
          .get(),
      ).toBe(0);
    } finally {
      db.close();
    }
  });

  it('refuses to restore or encrypt while the server runs, and says to stop it first', async () => {
    const { env } = home();
    const server = await daemon(env);
    const backupPath = `${env.AZ_HOME}-bk`;
    cleanups.push(() => rmSync(backupPath, { recursive: true, force: true }));
    const backup = await runAz(['db', 'backup', backupPath], { env });
    expect(backup.code, backup.stderr).toBe(0);
    const restore = await runAz(['db', 'restore', backupPath, '--force'], { env });
    expect(restore.code).toBe(4);
    expect(restore.stderr).toContain('az db restore needs');
    expect(restore.stderr).toContain(`Stop the server (pid ${server.pid}) first`);
    const encrypt = await runAz(['db', 'encrypt'], { env });
    expect(encrypt.code).toBe(4);
    expect(encrypt.stderr).toContain('a server runs on it');
    expect(existsSync(join(env.AZ_HOME as string, 'db.key'))).toBe(false);
  });

  it('prunes by itself shortly after it starts and reports the run in its status', async () => {
    const { env } = home();
    prefill(env, 1);
    const config = join(env.AZ_HOME as string, 'config.json');
    writeFileSync(config, JSON.stringify({ retention: { task_events: { max_age_days: 30 } } }));
    await daemon(env);
    const deadline = Date.now() + 15_000;
    let detail = '';
    for (;;) {
      const status = await runAz(['status', '--json'], { env });
      detail =
        (JSON.parse(status.stdout) as { components: Record<string, { detail: string }> }).components.retention
          ?.detail ?? '';
      if (detail.includes('last prune') || Date.now() > deadline) break;
      await new Promise(resolve => setTimeout(resolve, 300));
    }
    expect(detail).toMatch(/last prune .*\(automatic, 250 rows\)/);
    expect(readFileSync(config, 'utf8')).toContain('max_age_days');
  });

  it('adds the running server’s own subsystem checks to az doctor', async () => {
    const { env } = home({ AZ_DB_KEY: KEY });
    const server = await daemon(env);
    const doctor = await runAz(['doctor', '--json'], { env, timeoutMs: 60_000 });
    const report = JSON.parse(doctor.stdout) as { checks: { id: string; status: string; detail: string }[] };
    expect(report.checks.find(check => check.id === 'server')).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining(`pid ${server.pid}`),
    });
    expect(report.checks.find(check => check.id === 'server.encryption')).toMatchObject({ status: 'ok' });
    expect(report.checks.find(check => check.id === 'encryption')?.detail).toContain(
      'encrypted (SQLCipher 4), key from AZ_DB_KEY',
    );
  });
});
