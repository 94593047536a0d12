import { chmodSync, closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { encryptDatabaseTool, runDoctorTool, type DoctorCheck } from '../../../protocol/tools/data-tools.js';
import { checkChromaHeartbeat, olderThan } from '../../../server/data-protection/doctor/service-checks.js';
import { checkNode } from '../../../server/data-protection/doctor/system-checks.js';
import { connectInProcess } from '../../helpers/in-process.js';
import { connectMaintenance } from '../../helpers/maintenance.js';
import { startChroma } from '../../helpers/chroma.js';
import { runAz } from '../../helpers/processes.js';
import { createTempHome, type TempHome } from '../../helpers/temp-home.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups.length = 0;
});

/** An initialised home whose LLM gateway is a real local HTTP server answering /models with `status`. */
async function home(llmStatus = 200): Promise<TempHome> {
  const created = createTempHome('az-doctor-');
  cleanups.push(() => created.cleanup());
  const gateway = await httpServer(llmStatus);
  created.env.AZ_LLM_BASE_URL = gateway.url;
  const client = await connectInProcess(created.env);
  await client.close();
  return created;
}

async function httpServer(status: number): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    response.writeHead(request.url === '/models' ? status : 404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ data: [{ id: 'gpt-4o-mini' }] }));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>(resolve => server.close(() => resolve())));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, server };
}

async function doctor(env: Record<string, string | undefined>): Promise<Map<string, DoctorCheck>> {
  const client = await connectMaintenance(env);
  try {
    const result = await client.call(runDoctorTool, {});
    return new Map(result.checks.map(check => [check.id, check]));
  } finally {
    await client.close();
  }
}

describe('az doctor', () => {
  it('passes a healthy home and exits 0; --json gives every check', async () => {
    const { env } = await home();
    const result = await runAz(['doctor', '--json'], { env, timeoutMs: 60_000 });
    const report = JSON.parse(result.stdout) as { ok: boolean; checks: DoctorCheck[] };
    const failed = report.checks.filter(check => check.status === 'fail');
    expect(failed).toEqual([]);
    expect(result.code).toBe(0);
    expect(report.checks.map(check => check.id)).toEqual(
      expect.arrayContaining([
        'node',
        'home',
        'token',
        'config',
        'database',
        'migrations',
        'encryption',
        'disk',
        'chroma_binding',
        'chroma',
        'sandbox',
        'llm',
        'server',
      ]),
    );
    expect(report.checks.find(check => check.id === 'llm')?.detail).toContain('answers (HTTP 200');
  });

  it('fails on files others can read or write, with the chmod that fixes it, and exits 12', async () => {
    const { env, home: dir } = await home();
    chmodSync(join(dir, 'token'), 0o644);
    chmodSync(dir, 0o777);
    const checks = await doctor(env);
    expect(checks.get('token')).toMatchObject({
      status: 'fail',
      fix: `Run \`chmod 600 ${join(dir, 'token')}\`.`,
    });
    expect(checks.get('home')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('writable by other users'),
    });
    const cli = await runAz(['doctor'], { env, timeoutMs: 60_000 });
    expect(cli.code).toBe(12);
    expect(cli.stdout).toContain('fix: Run `chmod 600');
    chmodSync(dir, 0o700);
  });

  it('reports a missing or wrong database key as an encryption failure with the fix', async () => {
    const { env } = await home();
    const maintenance = await connectMaintenance(env);
    await maintenance.call(encryptDatabaseTool, {});
    await maintenance.close();
    const wrong = await doctor({ ...env, AZ_DB_KEY: 'wrong' });
    expect(wrong.get('encryption')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('the key is wrong'),
    });
    expect(wrong.get('database')?.status).toBe('skip');
    const right = await doctor(env);
    expect(right.get('encryption')).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('encrypted (SQLCipher 4)'),
    });
    expect(right.get('database')?.status).toBe('ok');
  });

  it('warns when a key is configured but the database is plain', async () => {
    const { env } = await home();
    const checks = await doctor({ ...env, AZ_DB_KEY: 'a key' });
    expect(checks.get('encryption')).toMatchObject({
      status: 'warn',
      fix: expect.stringContaining('az db encrypt'),
    });
  });

  it('finds a damaged database and pending or unknown migrations', async () => {
    const { env, home: dir } = await home();
    const db = new Database(join(dir, 'az.db'));
    db.prepare('DELETE FROM schema_migrations WHERE version = 40').run();
    db.close();
    expect((await doctor(env)).get('migrations')).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('1 migration(s) pending (v40)'),
    });
    const newer = new Database(join(dir, 'az.db'));
    newer
      .prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', 0)")
      .run();
    newer.pragma('journal_mode = DELETE');
    newer.close();
    expect((await doctor(env)).get('migrations')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('upgrade az'),
    });
    // Scribble over the second page (the first table's b-tree).
    const file = new Database(join(dir, 'az.db'));
    const pageSize = file.pragma('page_size', { simple: true }) as number;
    file.close();
    const fd = openSync(join(dir, 'az.db'), 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, pageSize);
    closeSync(fd);
    expect((await doctor(env)).get('database')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('az db restore'),
    });
  });

  it('explains a configuration that does not load, and skips what depends on it', async () => {
    const { env, home: dir } = await home();
    writeFileSync(join(dir, 'config.json'), '{"server": {"port": "seven"}}');
    const checks = await doctor(env);
    expect(checks.get('config')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('server.port'),
    });
    expect(checks.get('llm')?.status).toBe('skip');
  });

  it('tells an unreachable LLM gateway from one that refuses the key', async () => {
    const refused = await home(401);
    expect((await doctor(refused.env)).get('llm')).toMatchObject({
      status: 'warn',
      fix: expect.stringContaining('AZ_LLM_API_KEY'),
    });
    const unreachable = await home();
    const closed = await httpServer(200);
    await new Promise<void>(resolve => closed.server.close(() => resolve()));
    const checks = await doctor({ ...unreachable.env, AZ_LLM_BASE_URL: closed.url });
    expect(checks.get('llm')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('ECONNREFUSED'),
      fix: expect.stringContaining('llm.base_url'),
    });
  });

  it('checks a Chroma server by its heartbeat', async () => {
    const { home: dir } = await home();
    const chroma = await startChroma(join(dir, 'chroma'));
    try {
      expect(await checkChromaHeartbeat(chroma.url, new AbortController().signal)).toMatchObject([
        { status: 'ok' },
      ]);
    } finally {
      await chroma.stop();
    }
    expect(await checkChromaHeartbeat(chroma.url, new AbortController().signal)).toMatchObject([
      { status: 'fail' },
    ]);
  });

  it('checks the Chroma that memory.chroma_url names, with memory.chroma_headers, and nothing when memory is off', async () => {
    const { env, home: dir } = await home();
    const local = await doctor(env);
    expect(local.get('chroma')).toMatchObject({
      status: 'skip',
      detail: expect.stringContaining('memory.chroma_url is not set'),
    });
    expect(local.get('chroma_binding')?.status).toBe('ok');

    // A team Chroma that wants its token.
    const team = createServer((request, response) => {
      const allowed = request.headers['x-chroma-token'] === 'team-token';
      response.writeHead(request.url === '/api/v2/heartbeat' ? (allowed ? 200 : 401) : 404, {
        'content-type': 'application/json',
      });
      response.end(JSON.stringify(allowed ? { 'nanosecond heartbeat': 1 } : { error: 'Unauthorized' }));
    });
    await new Promise<void>(resolve => team.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>(resolve => team.close(() => resolve())));
    const url = `http://127.0.0.1:${(team.address() as { port: number }).port}`;
    const configure = (memory: Record<string, unknown>): void =>
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ memory }), { mode: 0o600 });

    configure({ chroma_url: url });
    const refused = await doctor(env);
    expect(refused.get('chroma')).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('refused'),
      fix: expect.stringContaining('memory.chroma_headers'),
    });
    // The local Chroma's binding does not matter when memory uses another Chroma.
    expect(refused.get('chroma_binding')).toMatchObject({
      status: 'skip',
      detail: expect.stringContaining('chroma_url'),
    });

    configure({ chroma_url: url, chroma_headers: { 'x-chroma-token': 'team-token' } });
    expect((await doctor(env)).get('chroma')).toMatchObject({
      status: 'ok',
      detail: `${url} answers its heartbeat`,
    });

    configure({ enabled: false, chroma_url: url });
    const off = await doctor(env);
    expect(off.get('chroma')).toMatchObject({
      status: 'skip',
      detail: expect.stringContaining('memory.enabled'),
    });
    expect(off.get('chroma_binding')?.status).toBe('skip');
  });

  it('judges the sandbox by security.sandbox, with the probe the shell tools use', async () => {
    const { env, home: dir } = await home();
    const sandbox = (mode: string): void =>
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ security: { sandbox: mode } }), {
        mode: 0o600,
      });
    // bubblewrap works on this machine (.ci/run installs it).
    expect((await doctor(env)).get('sandbox')).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('mode required'),
    });
    const withoutBwrap = { ...env, PATH: join(dir, 'no-such-bin') };
    expect((await doctor(withoutBwrap)).get('sandbox')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('shell commands are refused (security.sandbox is required)'),
      fix: expect.stringContaining('apt-get install bubblewrap'),
    });
    sandbox('preferred');
    expect((await doctor(withoutBwrap)).get('sandbox')).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('WITHOUT a sandbox (security.sandbox is preferred)'),
    });
    sandbox('off');
    expect((await doctor(env)).get('sandbox')).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('security.sandbox is off'),
    });
  });

  it("sends the API key the gateway client would send, the provider's own variable included", async () => {
    const { env, home: dir } = await home();
    const gateway = createServer((request, response) => {
      const allowed = request.headers.authorization === 'Bearer sk-from-openai-variable';
      response.writeHead(request.url === '/models' ? (allowed ? 200 : 401) : 404);
      response.end('{}');
    });
    await new Promise<void>(resolve => gateway.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>(resolve => gateway.close(() => resolve())));
    const url = `http://127.0.0.1:${(gateway.address() as { port: number }).port}`;
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ llm: { provider: 'openai', base_url: url } }), {
      mode: 0o600,
    });
    const withoutKey = { ...env, AZ_LLM_BASE_URL: undefined, OPENAI_API_KEY: undefined };
    expect((await doctor(withoutKey)).get('llm')).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('none is set'),
      fix: expect.stringContaining('OPENAI_API_KEY'),
    });
    expect(
      (await doctor({ ...withoutKey, OPENAI_API_KEY: 'sk-from-openai-variable' })).get('llm'),
    ).toMatchObject({ status: 'ok' });
  });

  it('knows which Node versions AZ-OS supports and compares versions numerically', () => {
    expect(checkNode('18.20.0')[0]?.status).toBe('fail');
    expect(checkNode('20.18.1')[0]?.status).toBe('fail');
    expect(checkNode('20.19.0')[0]?.status).toBe('ok');
    expect(checkNode('24.1.0')[0]?.status).toBe('ok');
    expect(checkNode('26.0.0')[0]?.status).toBe('warn');
    expect(olderThan('1.0.5', '1.0.6')).toBe(true);
    expect(olderThan('1.0.10', '1.0.6')).toBe(false);
    expect(olderThan('2.36', '2.38')).toBe(true);
  });
});
