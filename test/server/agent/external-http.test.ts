/**
 * The agent's connection to an external MCP server over Streamable HTTP, as most servers speak it today: a
 * 2025-era session. The external server here is a real `az serve` (its HTTP app on 127.0.0.1).
 */
import { getEventListeners } from 'node:events';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectExternal, type Connection } from '../../../server/agent/mcp-connections.js';
import { startTestServer, type TestServer } from '../../helpers/dashboard-server.js';
import { createTempHome, type TempHome } from '../../helpers/temp-home.js';

describe('an external MCP server over Streamable HTTP', () => {
  let temp: TempHome;
  let server: TestServer;
  let connection: Connection;

  beforeAll(async () => {
    temp = createTempHome();
    server = await startTestServer(temp.env, { minimal: true });
    connection = await connectExternal(
      'remote',
      { url: server.url, headers: { Authorization: `Bearer ${server.adminToken}` } },
      {
        workspace: temp.home,
        logsDir: join(temp.home, 'logs'),
        sampling: undefined,
        timeoutMs: 10_000,
        signal: new AbortController().signal,
      },
    );
  });

  afterAll(async () => {
    await connection.close();
    await server.close();
    temp.cleanup();
  });

  it('lists and calls its tools over a session, 1,600 times without piling listeners on the session', async () => {
    expect(connection.client.getProtocolEra()).toBe('legacy');
    const { tools } = await connection.client.listTools();
    expect(tools.map(tool => tool.name)).toContain('get_status');
    // Every POST of a session is handed the transport's own signal. Node's fetch adds an abort listener to the
    // signal it is given and removes it only when the request is garbage-collected: one signal given to every
    // request piles them up (past 1,500, a MaxListenersExceededWarning per request). Each request must reach
    // fetch with a signal of its own.
    const given = new Map<AbortSignal, number>();
    const realFetch = globalThis.fetch;
    globalThis.fetch = (input, init) => {
      if (init?.signal) given.set(init.signal, (given.get(init.signal) ?? 0) + 1);
      return realFetch(input, init);
    };
    try {
      for (let call = 0; call < 1600; call += 1) {
        const result = await connection.client.callTool({ name: 'get_status', arguments: {} });
        expect(result.isError).not.toBe(true);
      }
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(given.size).toBeGreaterThanOrEqual(1600);
    expect(Math.max(...given.values())).toBe(1);
    for (const signal of given.keys())
      expect(getEventListeners(signal, 'abort').length).toBeLessThanOrEqual(1);
  }, 60_000);
});
