/**
 * The change feed: resource URIs that changed, published by the stores and heard by every MCP transport
 * (resource subscriptions, subscriptions/listen streams) and by waiters such as wait_task.
 *
 * Per-task URIs are published at once. Aggregate URIs (the task list, status, cost) are coalesced: the first
 * change is delivered at once, later ones inside `aggregateIntervalMs` collapse into one trailing delivery, so
 * a burst of 50 task updates a second costs a subscriber a few list refreshes and the last state is never lost.
 */
export type ChangeListener = (uri: string) => void;

export interface ChangeFeed {
  publish(uri: string): void;
  publishAggregate(uri: string): void;
  subscribe(listener: ChangeListener): () => void;
  close(): void;
}

interface Cooldown {
  pending: boolean;
  timer: NodeJS.Timeout;
}

export function createChangeFeed(options: { aggregateIntervalMs?: number } = {}): ChangeFeed {
  const interval = options.aggregateIntervalMs ?? 100;
  const listeners = new Set<ChangeListener>();
  const cooldowns = new Map<string, Cooldown>();

  const deliver = (uri: string): void => {
    for (const listener of [...listeners]) {
      try {
        listener(uri);
      } catch (error) {
        console.error(`change listener failed for ${uri}:`, error);
      }
    }
  };

  const startCooldown = (uri: string): void => {
    const cooldown: Cooldown = {
      pending: false,
      timer: setTimeout(() => {
        cooldowns.delete(uri);
        if (cooldown.pending) {
          deliver(uri);
          startCooldown(uri);
        }
      }, interval),
    };
    cooldown.timer.unref();
    cooldowns.set(uri, cooldown);
  };

  return {
    publish: deliver,
    publishAggregate(uri) {
      const cooldown = cooldowns.get(uri);
      if (cooldown) {
        cooldown.pending = true;
        return;
      }
      deliver(uri);
      startCooldown(uri);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    close() {
      for (const cooldown of cooldowns.values()) clearTimeout(cooldown.timer);
      cooldowns.clear();
      listeners.clear();
    },
  };
}
