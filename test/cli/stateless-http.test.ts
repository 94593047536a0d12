/**
 * The CLI's stateless 2026-07-28 calls against a real `az serve`: one POST per call, errors mapped like the
 * SDK path, progress over SSE, and the fallbacks (a stale server.json → in-process).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../protocol/errors.js';
import { StatelessHttpClient } from '../../protocol/stateless-http-client.js';
import { createTaskTool, getTaskTool, listTasksTool } from '../../protocol/tools/task-tools.js';
import { getStatusTool } from '../../protocol/tools/system-tools.js';
import { runAz, startDaemon, type Daemon } from '../helpers/processes.js';
import { createTempHome, type TempHome } from '../helpers/temp-home.js';

const CLIENT = { name: 'stateless-test', version: '0' };

describe('stateless HTTP calls (protocol 2026-07-28)', () => {
  let temp: TempHome;
  let daemon: Daemon;

  beforeAll(async () => {
    temp = createTempHome();
    daemon = await startDaemon(temp.env);
  });

  afterAll(async () => {
    await daemon.stop();
    temp.cleanup();
  });

  it('calls tools and parses results with the contracts', async () => {
    const client = new StatelessHttpClient({
      url: new URL(daemon.url),
      token: daemon.token,
      clientInfo: CLIENT,
    });
    const { task } = await client.call(createTaskTool, { prompt: 'stateless', start: false });
    expect((await client.call(getTaskTool, { task_id: task.id })).task.title).toBe('stateless');
    expect((await client.call(getStatusTool, {})).mode).toBe('daemon');
  });

  it("turns the server's tool errors into the same AppErrors as the SDK path", async () => {
    const client = new StatelessHttpClient({
      url: new URL(daemon.url),
      token: daemon.token,
      clientInfo: CLIENT,
    });
    const notFound = await client
      .call(getTaskTool, { task_id: '00000000-0000-4000-8000-000000000000' })
      .catch(e => e);
    expect(notFound).toBeInstanceOf(AppError);
    expect((notFound as AppError).code).toBe('NOT_FOUND');
    const invalid = await client.call(listTasksTool, { limit: 'many' } as never).catch(e => e);
    expect((invalid as AppError).code).toBe('INVALID_INPUT');
  });

  it('maps refusals: a wrong token is UNAUTHORIZED, a closed port UNAVAILABLE, a wrong path UNAVAILABLE', async () => {
    const wrongToken = new StatelessHttpClient({
      url: new URL(daemon.url),
      token: 'nope',
      clientInfo: CLIENT,
    });
    expect(((await wrongToken.call(getStatusTool, {}).catch(e => e)) as AppError).code).toBe('UNAUTHORIZED');
    const wrongPath = new StatelessHttpClient({
      url: new URL('/elsewhere', daemon.url),
      token: daemon.token,
      clientInfo: CLIENT,
    });
    expect(((await wrongPath.call(getStatusTool, {}).catch(e => e)) as AppError).code).toBe('UNAVAILABLE');
    const closed = new StatelessHttpClient({
      url: new URL('http://127.0.0.1:9/mcp'),
      token: 'x',
      clientInfo: CLIENT,
    });
    expect(((await closed.call(getStatusTool, {}).catch(e => e)) as AppError).code).toBe('UNAVAILABLE');
  });

  it('speaks the same over https (a TLS proxy in front of az serve), through node:https', async () => {
    // A self-signed certificate for 127.0.0.1, and a proxy that passes each request on to the daemon.
    const dir = mkdtempSync(join(tmpdir(), 'az-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const upstream = new URL(daemon.url);
    const proxy = createHttpsServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      (req, res) => {
        const forward = httpRequest(
          {
            host: upstream.hostname,
            port: upstream.port,
            path: req.url,
            method: req.method,
            headers: req.headers,
          },
          answer => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        req.pipe(forward);
      },
    );
    await new Promise<void>(resolve => proxy.listen(0, '127.0.0.1', resolve));
    const url = new URL(`https://127.0.0.1:${(proxy.address() as AddressInfo).port}/mcp`);
    const previous = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    try {
      const client = new StatelessHttpClient({ url, token: daemon.token, clientInfo: CLIENT });
      const { task } = await client.call(createTaskTool, { prompt: 'over tls', start: false });
      expect((await client.call(getTaskTool, { task_id: task.id })).task.title).toBe('over tls');
      const wrongToken = new StatelessHttpClient({ url, token: 'nope', clientInfo: CLIENT });
      expect(((await wrongToken.call(getStatusTool, {}).catch(e => e)) as AppError).code).toBe(
        'UNAUTHORIZED',
      );
    } finally {
      if (previous === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = previous;
      await new Promise(resolve => proxy.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives the CLI exit 7 for a wrong AZ_TOKEN', async () => {
    const result = await runAz(['status'], { env: { ...temp.env, AZ_TOKEN: 'wrong-token' } });
    expect(result.code).toBe(7);
    expect(result.stderr).toContain('refused the token');
  });

  it('refuses a token that would add headers to the request, and sends nothing (exit 7)', async () => {
    for (const hostile of ['t\r\nX-AZ-Tool-Profile: all', 't\nHost: evil.example']) {
      const result = await runAz(['status', '--json'], { env: { ...temp.env, AZ_TOKEN: hostile } });
      expect(result.code, JSON.stringify(hostile)).toBe(7);
      expect(JSON.parse(result.stdout).error.message).toMatch(
        /line break or another character.*nothing was sent/,
      );
    }
    // A NUL cannot come from the environment, but a caller can pass one; and https: is checked alike.
    for (const url of [daemon.url, 'https://127.0.0.1:9/mcp']) {
      const client = new StatelessHttpClient({
        url: new URL(url),
        token: 'a\u0000\r\nb',
        clientInfo: CLIENT,
      });
      expect(((await client.call(getStatusTool, {}).catch(e => e)) as AppError).code, url).toBe(
        'UNAUTHORIZED',
      );
    }
  });

  it('falls back to an in-process server when server.json names a server that is gone', async () => {
    const other = createTempHome();
    try {
      await runAz(['db', 'init'], { env: other.env });
      writeFileSync(
        join(other.home, 'server.json'),
        JSON.stringify({
          pid: process.pid,
          url: 'http://127.0.0.1:9/mcp',
          host: '127.0.0.1',
          port: 9,
          version: '0',
          started_at: new Date().toISOString(),
        }),
      );
      const result = await runAz(['status', '--json'], { env: other.env });
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout).mode).toBe('in-process');
    } finally {
      other.cleanup();
    }
  });
});

describe('a server that speaks only the 2025 era', () => {
  it('gets the same answers: the refused stateless call falls back to a negotiating SDK client', async () => {
    const { composeRuntime } = await import('../../server/compose.js');
    const { startLegacyOnlyServer } = await import('../helpers/legacy-server.js');
    const temp = createTempHome();
    const runtime = await composeRuntime({ env: temp.env }, 'daemon', { runTasks: false });
    const legacy = await startLegacyOnlyServer(runtime);
    try {
      runtime.core.tasks.create({ prompt: 'served the old way' }, 'test');
      const env = { ...temp.env, AZ_TOKEN: 'unused' };
      const list = await runAz(['task', 'list', '--json', '--url', legacy.url], { env });
      expect(list.code, list.stderr).toBe(0);
      expect(JSON.parse(list.stdout).tasks.map((task: { title: string }) => task.title)).toEqual([
        'served the old way',
      ]);
      const status = await runAz(['status', '--json', '--url', legacy.url], { env });
      expect(status.code, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout).mode).toBe('daemon');
    } finally {
      await legacy.close();
      await runtime.close();
      temp.cleanup();
    }
  });
});

describe('stateless HTTP calls with progress', () => {
  it('streams notifications/progress over SSE while run_task works, then returns its result', async () => {
    const { startScriptedLlmServer } = await import('../fixtures/scripted-llm/server.js');
    const { loadScenarios } = await import('../fixtures/scripted-llm/scenario.js');
    const { createAgentHome, SCENARIOS_DIR } = await import('../helpers/agent-home.js');
    const { runTaskTool } = await import('../../protocol/tools/agent-tools.js');
    const llm = await startScriptedLlmServer({
      scenarios: loadScenarios([join(SCENARIOS_DIR, 'is-prime-own-tools.json')]),
    });
    const temp = createAgentHome({ llmUrl: llm.url, filesystem: false });
    const daemon = await startDaemon(temp.env);
    try {
      const client = new StatelessHttpClient({
        url: new URL(daemon.url),
        token: daemon.token,
        clientInfo: CLIENT,
      });
      const progress: string[] = [];
      const result = await client.call(
        runTaskTool,
        { prompt: 'create function isPrime', timeout_seconds: 60 },
        { onProgress: update => progress.push(update.message ?? ''), timeoutMs: 70_000 },
      );
      expect(result.done).toBe(true);
      expect(result.task.status).toBe('COMPLETED');
      expect(result.task.cost_micro_usd).toBe(541);
      expect(progress.some(line => line.includes('azos__write_file'))).toBe(true);
    } finally {
      await daemon.stop();
      await llm.close();
      temp.cleanup();
    }
  });
});
