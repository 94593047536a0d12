/**
 * Coalescing bursts. A server can announce many changes a second (50 task updates/s is the benchmark); the
 * dashboard answers each burst with one refresh and draws at most one frame per display interval.
 */

export interface Coalescer {
  /** Ask for a run: starts one now, or marks the running one dirty so exactly one more follows. */
  request(): void;
  /** Resolves when no run is active or pending (for tests and shutdown). */
  idle(): Promise<void>;
  cancel(): void;
}

/**
 * Single-flight with a trailing run: never two runs at once, never more than one start per `minIntervalMs`,
 * and a request made during a run always gets a run after it (so the last change is never lost).
 */
export function createCoalescer(
  run: () => Promise<void>,
  options: { minIntervalMs: number | (() => number); onError?: (error: unknown) => void },
): Coalescer {
  let running = false;
  let pending = false;
  let cancelled = false;
  let timer: NodeJS.Timeout | undefined;
  let lastStart = -Infinity;
  let waiters: (() => void)[] = [];

  const settle = (): void => {
    if (running || pending || timer) return;
    const done = waiters;
    waiters = [];
    for (const resolve of done) resolve();
  };

  const start = (): void => {
    timer = undefined;
    if (cancelled) return settle();
    pending = false;
    running = true;
    lastStart = Date.now();
    run()
      .catch(error => options.onError?.(error))
      .finally(() => {
        running = false;
        if (pending && !cancelled) schedule();
        settle();
      });
  };

  const schedule = (): void => {
    if (timer || running) return;
    const interval =
      typeof options.minIntervalMs === 'number' ? options.minIntervalMs : options.minIntervalMs();
    const wait = Math.max(0, lastStart + interval - Date.now());
    if (wait === 0) start();
    else timer = setTimeout(start, wait);
  };

  return {
    request() {
      if (cancelled) return;
      pending = true;
      schedule();
    },
    idle() {
      if (!running && !pending && !timer) return Promise.resolve();
      return new Promise(resolve => waiters.push(resolve));
    },
    cancel() {
      cancelled = true;
      pending = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      settle();
    },
  };
}

/** Calls `emit` at most once per `intervalMs` (a frame), always after the last `request`. */
export function createFrameScheduler(
  emit: () => void,
  intervalMs: number,
): { request(): void; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  let last = -Infinity;
  let cancelled = false;
  const fire = (): void => {
    timer = undefined;
    if (cancelled) return;
    last = Date.now();
    emit();
  };
  return {
    request() {
      if (timer || cancelled) return;
      const wait = Math.max(0, last + intervalMs - Date.now());
      timer = setTimeout(fire, wait);
    },
    cancel() {
      cancelled = true;
      if (timer) clearTimeout(timer);
    },
  };
}
