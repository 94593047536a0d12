/**
 * Resumability for 2025-era sessions (SEP-1699): every message the server sends on a session's SSE streams is
 * kept here with an event id, so a client whose stream dropped (or that the server asked to poll) reconnects
 * with `Last-Event-ID` and gets exactly what it missed — a tool result included. One store per session, in
 * memory, bounded by event count and bytes: the oldest events go first, and an id that has been evicted (or
 * never existed) is refused, so the client starts a fresh stream instead of silently missing messages.
 */
import type { EventId, EventStore, JSONRPCMessage, StreamId } from '@modelcontextprotocol/server';

export interface EventStoreLimits {
  /** Events kept per session. */
  maxEvents: number;
  /** Approximate bytes (serialized JSON) kept per session; the newest event is always kept. */
  maxBytes: number;
}

export const SESSION_EVENT_LIMITS: EventStoreLimits = { maxEvents: 1000, maxBytes: 1024 * 1024 };

interface StoredEvent {
  seq: number;
  streamId: StreamId;
  message: JSONRPCMessage;
  bytes: number;
}

/** Priming events (SEP-1699) carry no message; they exist only so a client has an id to resume from. */
function isPriming(message: JSONRPCMessage): boolean {
  return Object.keys(message).length === 0;
}

export interface SessionEventStore extends EventStore {
  /** Events currently held. */
  readonly size: number;
  getStreamIdForEventId(eventId: EventId): Promise<StreamId | undefined>;
}

export function createSessionEventStore(limits: EventStoreLimits = SESSION_EVENT_LIMITS): SessionEventStore {
  // Insertion order is sequence order, so the Map doubles as the eviction queue.
  const events = new Map<EventId, StoredEvent>();
  let nextSeq = 1;
  let bytes = 0;

  const evict = (): void => {
    for (const [id, event] of events) {
      if (events.size <= limits.maxEvents && (bytes <= limits.maxBytes || events.size === 1)) return;
      events.delete(id);
      bytes -= event.bytes;
    }
  };

  return {
    get size() {
      return events.size;
    },

    storeEvent(streamId, message) {
      const seq = nextSeq++;
      const id = String(seq);
      const size = isPriming(message) ? 0 : JSON.stringify(message).length;
      events.set(id, { seq, streamId, message, bytes: size });
      bytes += size;
      evict();
      return Promise.resolve(id);
    },

    getStreamIdForEventId(eventId) {
      return Promise.resolve(events.get(eventId)?.streamId);
    },

    async replayEventsAfter(lastEventId, { send }) {
      const last = events.get(lastEventId);
      if (!last) throw new Error('unknown or expired Last-Event-ID');
      // Snapshot first: sending may store new events.
      const missed = [...events.entries()].filter(
        ([, event]) => event.seq > last.seq && event.streamId === last.streamId && !isPriming(event.message),
      );
      for (const [id, event] of missed) await send(id, event.message);
      return last.streamId;
    },
  };
}
