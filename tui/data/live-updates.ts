/**
 * Live updates: which resource URIs the dashboard hears about, over either protocol era.
 *
 *  - 2026-07-28 (modern): one `subscriptions/listen` stream whose filter lists the URIs. Changing the set opens
 *    the new stream before closing the old one, so no change falls between them. A stream the server drops
 *    ('remote') is reported as lost; the store reconnects and refreshes.
 *  - 2025 era (legacy): `resources/subscribe` / `resources/unsubscribe` per URI on the session.
 *
 * Both deliver `notifications/resources/updated` to the same handler.
 */
import type { Client, McpSubscription } from '@modelcontextprotocol/client';
import type { ConnectionEvents } from './connection.js';

export interface LiveUpdates {
  /** Hear about exactly these URIs from now on; resolves once the server acknowledged. */
  watch(uris: readonly string[]): Promise<void>;
  /** The URIs currently acknowledged. */
  watching(): readonly string[];
  close(): Promise<void>;
}

export function createLiveUpdates(
  sdk: Client,
  era: 'modern' | 'legacy',
  events: ConnectionEvents,
): LiveUpdates {
  sdk.setNotificationHandler('notifications/resources/updated', notification => {
    events.onUpdated(notification.params.uri);
  });
  return era === 'modern' ? listenUpdates(sdk, events) : subscribeUpdates(sdk);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every(uri => b.includes(uri));
}

function listenUpdates(sdk: Client, events: ConnectionEvents): LiveUpdates {
  let current: { uris: readonly string[]; subscription: McpSubscription } | undefined;
  let closed = false;
  // Changes are applied one at a time so two quick watch() calls cannot race each other.
  let queue: Promise<void> = Promise.resolve();

  const apply = async (uris: readonly string[]): Promise<void> => {
    if (closed || (current && sameSet(current.uris, uris))) return;
    const previous = current;
    if (uris.length === 0) {
      current = undefined;
    } else {
      const subscription = await sdk.listen({ resourceSubscriptions: [...uris] });
      current = { uris, subscription };
      void subscription.closed.then(how => {
        if (how === 'remote' && current?.subscription === subscription && !closed) {
          events.onLost('the server closed the update stream');
        }
      });
    }
    await previous?.subscription.close().catch(() => undefined);
  };

  return {
    watch(uris) {
      const next = queue.then(() => apply(uris));
      queue = next.catch(() => undefined);
      return next;
    },
    watching: () => current?.uris ?? [],
    async close() {
      closed = true;
      await queue;
      await current?.subscription.close().catch(() => undefined);
      current = undefined;
    },
  };
}

function subscribeUpdates(sdk: Client): LiveUpdates {
  let subscribed: readonly string[] = [];
  let queue: Promise<void> = Promise.resolve();

  const apply = async (uris: readonly string[]): Promise<void> => {
    const added = uris.filter(uri => !subscribed.includes(uri));
    const removed = subscribed.filter(uri => !uris.includes(uri));
    for (const uri of added) await sdk.subscribeResource({ uri });
    subscribed = [...uris];
    for (const uri of removed) await sdk.unsubscribeResource({ uri }).catch(() => undefined);
  };

  return {
    watch(uris) {
      const next = queue.then(() => apply(uris));
      queue = next.catch(() => undefined);
      return next;
    },
    watching: () => subscribed,
    async close() {
      await queue;
      subscribed = [];
    },
  };
}
