import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type Daemon } from '../../helpers/processes.js';
import { INITIALIZE, JSON_HEADERS, rawRequest, type RawResponse } from '../../helpers/raw-http.js';
import { createTempHome, type TempHome } from '../../helpers/temp-home.js';

/** Every refusal is a JSON-RPC error body: never HTML, never a stack trace. */
function expectJsonRpcError(response: RawResponse, status: number, message: RegExp): void {
  expect(response.status).toBe(status);
  expect(String(response.headers['content-type'])).toMatch(/application\/json/);
  const body = JSON.parse(response.body) as { jsonrpc: string; error: { code: number; message: string } };
  expect(body.jsonrpc).toBe('2.0');
  expect(body.error.code).toBeTypeOf('number');
  expect(body.error.message).toMatch(message);
  expect(response.body).not.toMatch(/<html|\n\s+at \S+ \(/i);
}

describe('HTTP transport security (real az serve)', () => {
  let temp: TempHome;
  let daemon: Daemon;
  let auth: Record<string, string>;

  beforeAll(async () => {
    temp = createTempHome();
    daemon = await startDaemon(temp.env);
    auth = { ...JSON_HEADERS, authorization: `Bearer ${daemon.token}` };
  });

  afterAll(async () => {
    await daemon.stop();
    temp.cleanup();
  });

  it('accepts the admin token', async () => {
    const response = await rawRequest(daemon.url, { headers: auth, body: INITIALIZE });
    expect(response.status).toBe(200);
    expect(response.body).toContain('"protocolVersion"');
  });

  it('answers a missing token with 401 and a Bearer challenge', async () => {
    const response = await rawRequest(daemon.url, { headers: JSON_HEADERS, body: INITIALIZE });
    expectJsonRpcError(response, 401, /Authorization: Bearer/);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="az-os"');
  });

  it.each([
    ['a wrong token', `Bearer ${'x'.repeat(40)}`],
    ['the token with one character changed', 'TOKEN_MUTATED'],
    ['an empty bearer', 'Bearer '],
    ['basic auth', 'Basic YWRtaW46YWRtaW4='],
    ['the token without a scheme', 'TOKEN'],
    ['two tokens', 'Bearer a Bearer b'],
  ])('refuses %s with 401', async (_name, header) => {
    const value = header
      .replace(
        'TOKEN_MUTATED',
        `Bearer ${daemon.token.slice(0, -1)}${daemon.token.endsWith('A') ? 'B' : 'A'}`,
      )
      .replace('TOKEN', daemon.token);
    const response = await rawRequest(daemon.url, {
      headers: { ...JSON_HEADERS, authorization: value },
      body: INITIALIZE,
    });
    expectJsonRpcError(response, 401, /Unauthorized/);
    expect(String(response.headers['www-authenticate'])).toMatch(/^Bearer realm="az-os"/);
  });

  it('never accepts a token from the query string, even the right one', async () => {
    for (const name of ['token', 'access_token']) {
      const response = await rawRequest(`${daemon.url}?${name}=${daemon.token}`, {
        headers: JSON_HEADERS,
        body: INITIALIZE,
      });
      expectJsonRpcError(response, 400, /not accepted in the URL/);
    }
  });

  it('refuses a foreign Host header with 403 (DNS rebinding)', async () => {
    for (const host of [
      'evil.example.com',
      'evil.example.com:7777',
      '127.0.0.1.evil.com',
      'localhost.evil.com',
    ]) {
      const response = await rawRequest(daemon.url, { headers: { ...auth, host }, body: INITIALIZE });
      expectJsonRpcError(response, 403, /Host/);
    }
  });

  it('refuses a foreign Origin with 403 and no CORS headers', async () => {
    for (const origin of ['http://evil.example.com', 'null', 'http://localhost.evil.com']) {
      const response = await rawRequest(daemon.url, { headers: { ...auth, origin }, body: INITIALIZE });
      expectJsonRpcError(response, 403, /Origin/);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    }
    const preflight = await rawRequest(daemon.url, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example.com', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows a localhost Origin and answers its preflight', async () => {
    const preflight = await rawRequest(daemon.url, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:6274', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://localhost:6274');
  });

  it('answers malformed JSON with a JSON-RPC parse error', async () => {
    for (const body of ['{', '{"jsonrpc": "2.0", "method": ', 'not json at all', '\u0000\u0001']) {
      const response = await rawRequest(daemon.url, { headers: auth, body });
      expect([400]).toContain(response.status);
      expect(JSON.parse(response.body).error.code).toBe(-32700);
    }
  });

  it('answers JSON that is not JSON-RPC with a JSON-RPC error', async () => {
    for (const body of ['{}', '[]', '42', '{"jsonrpc":"1.0","id":1,"method":"x"}']) {
      const response = await rawRequest(daemon.url, { headers: auth, body });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(JSON.parse(response.body)).toHaveProperty('error');
    }
  });

  it('accepts bodies of at least 4 MB and refuses oversized ones with 413', async () => {
    const big = JSON.stringify({
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name: 'get_status', arguments: { padding: 'x'.repeat(5 * 1024 * 1024) } },
      _: 1,
    });
    const accepted = await rawRequest(daemon.url, {
      headers: { ...auth, 'mcp-protocol-version': '2025-11-25' },
      body: big,
    });
    expect(accepted.status).not.toBe(413);
    const huge = `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"p":"${'y'.repeat(9 * 1024 * 1024)}"}}`;
    const refused = await rawRequest(daemon.url, { headers: auth, body: huge });
    expectJsonRpcError(refused, 413, /too large/);
  });

  it('answers unknown paths and methods with JSON-RPC errors', async () => {
    expectJsonRpcError(
      await rawRequest(daemon.url, { path: '/admin', method: 'GET', headers: auth }),
      404,
      /\/mcp/,
    );
    expectJsonRpcError(
      await rawRequest(daemon.url, { path: '/mcp', method: 'GET', headers: auth }),
      400,
      /Mcp-Session-Id/,
    );
    const unknownSession = await rawRequest(daemon.url, {
      headers: { ...auth, 'mcp-session-id': '00000000-0000-0000-0000-000000000000' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expectJsonRpcError(unknownSession, 404, /Session not found/);
  });

  it('keeps serving after all of the above', async () => {
    const response = await rawRequest(daemon.url, { headers: auth, body: INITIALIZE });
    expect(response.status).toBe(200);
  });

  it('drops a client that never finishes its headers (slowloris)', async () => {
    const url = new URL(daemon.url);
    const closed = await new Promise<number>(resolve => {
      const started = Date.now();
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write('POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
      });
      socket.on('close', () => resolve(Date.now() - started));
      socket.on('error', () => undefined);
      socket.resume();
    });
    expect(closed).toBeGreaterThanOrEqual(9_000);
    expect(closed).toBeLessThan(15_000);
  }, 20_000);
});
