import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { createSessionEventStore } from '../../../server/http/event-store.js';

const PRIMING = {} as JSONRPCMessage;

function notification(n: number): JSONRPCMessage {
  return { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: n } };
}

async function replay(store: ReturnType<typeof createSessionEventStore>, lastEventId: string) {
  const sent: { id: string; message: JSONRPCMessage }[] = [];
  const streamId = await store.replayEventsAfter(lastEventId, {
    send: async (id, message) => {
      sent.push({ id, message });
    },
  });
  return { streamId, sent };
}

describe('session event store (SSE resumability)', () => {
  it('replays what a stream missed after the given event, without priming events or other streams', async () => {
    const store = createSessionEventStore();
    const primed = await store.storeEvent('post-1', PRIMING);
    const first = await store.storeEvent('post-1', notification(1));
    await store.storeEvent('post-2', notification(99));
    const second = await store.storeEvent('post-1', notification(2));
    const result: JSONRPCMessage = { jsonrpc: '2.0', id: 7, result: { content: [] } };
    const third = await store.storeEvent('post-1', result);

    const fromStart = await replay(store, primed);
    expect(fromStart.streamId).toBe('post-1');
    expect(fromStart.sent).toEqual([
      { id: first, message: notification(1) },
      { id: second, message: notification(2) },
      { id: third, message: result },
    ]);
    expect((await replay(store, second)).sent.map(event => event.id)).toEqual([third]);
    expect(await store.getStreamIdForEventId(second)).toBe('post-1');
  });

  it('refuses an unknown or forged Last-Event-ID instead of replaying nothing silently', async () => {
    const store = createSessionEventStore();
    await store.storeEvent('post-1', notification(1));
    expect(await store.getStreamIdForEventId('42')).toBeUndefined();
    await expect(replay(store, "1' OR 1=1")).rejects.toThrow(/unknown or expired Last-Event-ID/);
  });

  it('keeps at most maxEvents, dropping the oldest first', async () => {
    const store = createSessionEventStore({ maxEvents: 3, maxBytes: 1_000_000 });
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) ids.push(await store.storeEvent('s', notification(n)));
    expect(store.size).toBe(3);
    expect(await store.getStreamIdForEventId(ids[1] as string)).toBeUndefined();
    expect((await replay(store, ids[2] as string)).sent.map(event => event.id)).toEqual(ids.slice(3));
  });

  it('keeps at most maxBytes, but always the newest event even when it alone is larger', async () => {
    const store = createSessionEventStore({ maxEvents: 100, maxBytes: 400 });
    const small = await store.storeEvent('s', notification(1));
    const big: JSONRPCMessage = { jsonrpc: '2.0', id: 1, result: { text: 'x'.repeat(2000) } };
    const bigId = await store.storeEvent('s', big);
    expect(store.size).toBe(1);
    expect(await store.getStreamIdForEventId(small)).toBeUndefined();
    expect(await store.getStreamIdForEventId(bigId)).toBe('s');
    for (let n = 0; n < 20; n++) await store.storeEvent('s', notification(n));
    expect(await store.getStreamIdForEventId(bigId)).toBeUndefined();
    expect(store.size).toBeGreaterThan(1);
  });
});
