/**
 * The daemon's automatic prune: shortly after start, then every retention.prune_interval_minutes (read anew
 * each time, so a change needs no restart). Runs never overlap with each other or with `az db prune`; the
 * timer is unref'd and cleared on shutdown.
 */
import type { Core } from '../../core.js';
import { runPrune, type PruneReport, type PruneRequest } from './run-prune.js';

export interface Pruner {
  /** Runs a prune; when one is already running it waits for that one to finish first (they never overlap). */
  run(request: PruneRequest): Promise<PruneReport>;
}

export function createPruner(core: Core): Pruner {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    run(request) {
      const next = queue.then(() => runPrune(core, request));
      queue = next.catch(() => undefined);
      return next;
    },
  };
}

const FIRST_RUN_DELAY_MS = 3000;

/** Starts the timer; the returned function stops it and waits for a prune in progress to end its batch. */
export function startAutoPrune(core: Core, pruner: Pruner): () => Promise<void> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const schedule = (delayMs: number): void => {
    if (controller.signal.aborted) return;
    timer = setTimeout(tick, delayMs);
    timer.unref();
  };
  const tick = (): void => {
    const settings = core.config().config.retention;
    const next = settings.prune_interval_minutes * 60_000;
    if (!settings.auto_prune) {
      schedule(next);
      return;
    }
    running = pruner
      .run({ dryRun: false, trigger: 'automatic', signal: controller.signal })
      .then(report => {
        if (report.deleted > 0) {
          const parts = report.results
            .filter(result => result.deleted > 0)
            .map(r => `${r.target} ${r.deleted}`);
          console.error(`retention: pruned ${report.deleted} rows (${parts.join(', ')})`);
        }
        for (const result of report.results.filter(r => r.status === 'failed')) {
          console.error(`retention: ${result.target}: ${result.detail}`);
        }
      })
      .catch(error => console.error('retention: automatic prune failed:', error))
      .finally(() => schedule(next));
  };
  schedule(FIRST_RUN_DELAY_MS);
  return async () => {
    controller.abort();
    clearTimeout(timer);
    await running;
  };
}
