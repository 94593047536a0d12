/**
 * The conformance harness itself, and the server guarantees the suite relies on: the bearer-token proxy
 * forwards Host and Origin untouched (so the daemon's own guard answers) and streams SSE unbuffered (so
 * server-to-client requests complete), and multi-round-trip requestState minted by the server is verified
 * on the way back — tampered, replayed by another token, or into another method, it is refused.
 */
import { request } from 'node:http';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDaemon, type DaemonHandle, type Service } from '../../server/index.js';
import { startAuthProxy, type AuthProxy } from '../fixtures/conformance/auth-proxy.js';
import { conformanceFixture } from '../fixtures/conformance/service.js';
import { createTempHome, type TempHome } from '../helpers/temp-home.js';

const OTHER_TOKEN = 'operator-token-for-tests';
const otherToken: Service = ({ addTokenResolver }) => {
  addTokenResolver(token =>
    token === OTHER_TOKEN ? { name: 'other', role: 'operator', via: 'http' } : undefined,
  );
};

/** A raw HTTP request with headers fetch would not let us set (Host). */
function rawRequest(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolvePromise, reject) => {
    const target = new URL(url);
    const req = request(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers },
      res => {
        let text = '';
        res.on('data', chunk => (text += chunk));
        res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

interface JsonRpcReply {
  result?: Record<string, unknown> & {
    resultType?: string;
    requestState?: string;
    content?: { text: string }[];
  };
  error?: { code: number; message: string };
}

describe('conformance harness', () => {
  let temp: TempHome;
  let handle: DaemonHandle;
  let proxy: AuthProxy;
  let proxyUrl: string;

  beforeAll(async () => {
    temp = createTempHome();
    handle = await runDaemon(
      { home: temp.home, env: temp.env },
      { port: 0, allowRemote: false, allowedHosts: [] },
      [conformanceFixture, otherToken],
    );
    const target = new URL(handle.daemon.info.url);
    proxy = await startAuthProxy({ target, token: handle.runtime.core.adminToken() });
    proxyUrl = `${proxy.origin}${target.pathname}`;
  });

  afterAll(async () => {
    await proxy.close();
    await handle.close();
    temp.cleanup();
  });

  /** One 2026-07-28 request straight to the daemon (stateless: protocol and capabilities in _meta). */
  async function modern(
    token: string,
    method: string,
    name: string,
    params: Record<string, unknown>,
  ): Promise<JsonRpcReply> {
    const response = await fetch(handle.daemon.info.url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': method,
        'mcp-name': name,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method,
        params: {
          ...params,
          _meta: {
            'io.modelcontextprotocol/protocolVersion': '2026-07-28',
            'io.modelcontextprotocol/clientCapabilities': { elicitation: {} },
          },
        },
      }),
    });
    const text = await response.text();
    const json = response.headers.get('content-type')?.includes('text/event-stream')
      ? (text
          .split('\n')
          .filter(line => line.startsWith('data: '))
          .map(line => JSON.parse(line.slice(6)) as JsonRpcReply & { id?: number })
          .find(message => message.id === 1) ?? {})
      : (JSON.parse(text) as JsonRpcReply);
    return json;
  }

  it('proxies a client that sends no token, streaming server-to-client requests without buffering', async () => {
    const client = new Client(
      { name: 'harness-test', version: '0.0.0' },
      { versionNegotiation: { mode: 'legacy' }, capabilities: { elicitation: { form: {} } } },
    );
    client.setRequestHandler('elicitation/create', () => ({
      action: 'accept',
      content: { response: 'yes' },
    }));
    await client.connect(new StreamableHTTPClientTransport(new URL(proxyUrl)));
    try {
      const { tools } = await client.listTools();
      const names = tools.map(tool => tool.name);
      expect(names).toEqual(expect.arrayContaining(['get_task', 'test_simple_text', 'test_elicitation']));
      // The elicitation request travels on the tool call's own SSE stream; a buffering proxy would deadlock.
      const result = await client.callTool({ name: 'test_elicitation', arguments: { message: 'Proceed?' } });
      expect(result.content).toEqual([
        { type: 'text', text: 'User response: action=accept, content={"response":"yes"}' },
      ]);
    } finally {
      await client.close();
    }
  });

  it('forwards a foreign Host or Origin unchanged, so the daemon refuses it with 403', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });
    const base = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    for (const headers of [
      { ...base, host: 'evil.example.com' },
      { ...base, origin: 'http://evil.example.com' },
      { ...base, host: 'localhost.evil.example.com:80', origin: 'http://localhost.evil.example.com' },
    ]) {
      const response = await rawRequest(proxyUrl, headers, body);
      expect(response.status).toBe(403);
      expect(JSON.parse(response.body)).toMatchObject({ jsonrpc: '2.0', error: { code: -32003 } });
    }
  });

  it('verifies requestState on the retry: genuine passes; tampered, foreign-token or other-method is refused', async () => {
    const admin = handle.runtime.core.adminToken();
    const tool = 'test_input_required_result_request_state';
    const first = await modern(admin, 'tools/call', tool, { name: tool, arguments: {} });
    expect(first.result).toMatchObject({ resultType: 'input_required' });
    const state = first.result?.requestState as string;
    const answer = { confirm: { action: 'accept', content: { ok: true } } };

    const retry = (token: string, requestState: string) =>
      modern(token, 'tools/call', tool, { name: tool, arguments: {}, inputResponses: answer, requestState });
    expect((await retry(admin, state)).result?.content?.[0]?.text).toBe('state-ok: confirmed=true');

    const tampered = `${state.slice(0, -2)}${state.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const refused of [await retry(admin, tampered), await retry(OTHER_TOKEN, state)]) {
      expect(refused.error).toMatchObject({ code: -32602, message: 'Invalid or expired requestState' });
    }
    const prompt = 'test_input_required_result_prompt';
    const otherMethod = await modern(admin, 'prompts/get', prompt, { name: prompt, requestState: state });
    expect(otherMethod.error).toMatchObject({ code: -32602 });
  });
});
