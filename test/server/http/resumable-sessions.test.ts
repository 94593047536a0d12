/**
 * 2025-era sessions are resumable (SEP-1699): each POST stream starts with a priming event (an id, the retry
 * interval, no data), and a client that lost the stream reconnects with Last-Event-ID to receive what it
 * missed. Real daemon over real HTTP, raw requests so every SSE field is visible.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SSE_RETRY_MS } from '../../../server/http/legacy-sessions.js';
import { runDaemon, type DaemonHandle, type Service } from '../../../server/index.js';
import { createTempHome, type TempHome } from '../../helpers/temp-home.js';

interface SseEvent {
  id?: string;
  retry?: number;
  data: string;
}

function parseSse(text: string): SseEvent[] {
  return text
    .split(/\n\n/)
    .filter(block => block.trim() !== '' && !block.split('\n').every(line => line.startsWith(':')))
    .map(block => {
      const event: SseEvent = { data: '' };
      for (const line of block.split('\n')) {
        const [field, ...rest] = line.split(':');
        const value = rest.join(':').replace(/^ /, '');
        if (field === 'id') event.id = value;
        else if (field === 'retry') event.retry = Number(value);
        else if (field === 'data') event.data += value;
      }
      return event;
    });
}

const SECOND_TOKEN = 'second-token-for-tests';

/** A second valid token (an operator), to prove sessions belong to the token that opened them. */
const secondToken: Service = ({ addTokenResolver }) => {
  addTokenResolver(token =>
    token === SECOND_TOKEN ? { name: 'second', role: 'operator', via: 'http' } : undefined,
  );
};

describe('2025-era session resumability', () => {
  let temp: TempHome;
  let handle: DaemonHandle;
  let headers: Record<string, string>;

  const post = (body: unknown, extra: Record<string, string> = {}) =>
    fetch(handle.daemon.info.url, {
      method: 'POST',
      headers: { ...headers, ...extra },
      body: JSON.stringify(body),
    });

  beforeEach(async () => {
    temp = createTempHome();
    handle = await runDaemon(
      { home: temp.home, env: temp.env },
      { port: 0, allowRemote: false, allowedHosts: [] },
      [secondToken],
    );
    headers = {
      authorization: `Bearer ${handle.runtime.core.adminToken()}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    };
    const init = await post({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    });
    expect(init.status).toBe(200);
    await init.text();
    headers['mcp-session-id'] = init.headers.get('mcp-session-id') as string;
    headers['mcp-protocol-version'] = '2025-11-25';
    await (await post({ jsonrpc: '2.0', method: 'notifications/initialized' })).text();
  });

  afterEach(async () => {
    await handle.close();
    temp.cleanup();
  });

  it('primes each POST stream with an event id and a retry interval, and replays a missed result', async () => {
    const call = await post({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'get_status' } });
    expect(call.headers.get('content-type')).toContain('text/event-stream');
    const events = parseSse(await call.text());
    expect(events[0]).toMatchObject({ data: '', retry: SSE_RETRY_MS });
    expect(events[0]?.id).toBeTruthy();
    const result = events.find(event => event.data.includes('"id":5'));
    expect(result?.id).toBeTruthy();

    // As if the stream had dropped right after the priming event: resume from it.
    const resumed = await fetch(handle.daemon.info.url, {
      headers: { ...headers, 'last-event-id': events[0]?.id as string },
    });
    expect(resumed.status).toBe(200);
    const replayed = parseSse(await resumed.text());
    expect(replayed.map(event => event.id)).toEqual([result?.id]);
    expect(JSON.parse(replayed[0]?.data as string)).toMatchObject({
      id: 5,
      result: { structuredContent: {} },
    });
  });

  it('refuses a Last-Event-ID it does not hold with a JSON-RPC error, not a silent empty stream', async () => {
    const resumed = await fetch(handle.daemon.info.url, {
      headers: { ...headers, 'last-event-id': '999999' },
    });
    expect(resumed.status).toBe(400);
    expect(await resumed.json()).toMatchObject({ jsonrpc: '2.0', error: { message: expect.any(String) } });
  });

  it('does not resume another token’s session, even with a valid event id', async () => {
    const call = await post({ jsonrpc: '2.0', id: 6, method: 'tools/call', params: { name: 'get_status' } });
    const [priming] = parseSse(await call.text());
    const resumed = await fetch(handle.daemon.info.url, {
      headers: {
        ...headers,
        authorization: `Bearer ${SECOND_TOKEN}`,
        'last-event-id': priming?.id as string,
      },
    });
    expect(resumed.status).toBe(404);
    expect(await resumed.text()).not.toContain('get_status');
  });
});
