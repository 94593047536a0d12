/**
 * The executor: runs queued tasks, at most `tasks.concurrency` at once, highest priority first and FIFO within
 * a priority. Each running task holds a lease this process extends every few seconds; a watch loop (4 times a
 * second) notices when a task was cancelled or taken over by another process and stops its run — the model
 * request and any running tool — within a second. Failed runs are retried with backoff while attempts remain
 * (FAILED → RETRYING → RUNNING, continuing from the journal).
 *
 * In `queue` mode (the daemon) it also polls the database for work other processes queued. In `adopt` mode (a
 * one-shot CLI) it runs only tasks handed to it with `adopt`.
 */
import { existsSync } from 'node:fs';
import { AppError, type ErrorPayload } from '../../protocol/errors.js';
import type { Core } from '../core.js';
import type { RelaxedWrites } from '../store/relaxed-writes.js';
import type { TaskRow } from '../tasks/task-rows.js';
import { HEARTBEAT_MS, LEASE_MS } from './leases.js';
import { recoverInterrupted, type RecoveryDeps } from './recovery.js';
import { settledHooks } from './run-hooks.js';
import type { RunStart } from './run-start.js';
import type { RunOutcome, TaskRunRequest } from './task-run.js';

const WATCH_MS = 250;
const POLL_MS = 1_000;
const RECOVER_MS = 15_000;
/** On shutdown a running tool gets this long to finish before it is aborted. */
const TOOL_GRACE_MS = 5_000;
const CLOSE_WAIT_MS = 10_000;

export interface ExecutorDeps {
  core: Core;
  writes: RelaxedWrites;
  owner: string;
  mode: 'queue' | 'adopt';
  recovery: RecoveryDeps;
  run(request: TaskRunRequest): Promise<RunOutcome>;
  onIdle?: (() => void) | undefined;
  now?: () => number;
  random?: () => number;
}

interface RunHandle {
  taskId: string;
  llm: AbortController;
  tools: AbortController;
  stopping: 'cancel' | 'shutdown' | 'lost' | undefined;
  done: Promise<void>;
}

export type Executor = ReturnType<typeof createExecutor>;

export function createExecutor(deps: ExecutorDeps) {
  const { core, writes, owner } = deps;
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const running = new Map<string, RunHandle>();
  const timers: NodeJS.Timeout[] = [];
  let wakeTimer: NodeJS.Timeout | undefined;
  let closing = false;
  let lastHeartbeat = 0;
  let lastBusy = now();
  let idleReported = false;

  const selectNext = core.db.prepare(`SELECT * FROM tasks WHERE status IN ('PENDING', 'RETRYING')
    AND (not_before IS NULL OR not_before <= ?) ORDER BY priority DESC, seq LIMIT 1`);
  const selectNextDue = core.db.prepare(
    "SELECT min(not_before) AS due FROM tasks WHERE status IN ('PENDING', 'RETRYING') AND not_before > ?",
  );
  const countActive = core.db.prepare(
    "SELECT count(*) AS n FROM tasks WHERE status IN ('PENDING', 'RETRYING', 'RUNNING')",
  );
  const heartbeat = core.db.prepare(
    "UPDATE tasks SET lease_expires_at = ? WHERE lease_owner = ? AND status = 'RUNNING'",
  );

  /** Where each claimed task's run starts, computed once at the claim. */
  const starts = new Map<string, RunStart>();

  function claim(row: TaskRow): TaskRow {
    const start = deps.recovery.runStarts.runStart(row.id);
    starts.set(row.id, start);
    return core.taskStore.transition(row.id, 'RUNNING', {
      expect: [row.status],
      patch: {
        attempts: row.attempts + 1,
        lease_owner: owner,
        lease_expires_at: now() + LEASE_MS,
        started_at: row.started_at ?? now(),
        finished_at: null,
        not_before: null,
      },
      data: {
        owner,
        attempt: row.attempts + 1,
        generation: start.generation,
        unfinished_call: start.unfinishedCall,
      },
    });
  }

  /** Claims the next queued task in the next group commit (with the other running tasks' records). */
  function claimNext(): Promise<TaskRow | undefined> {
    return writes.batch(() => {
      const row = selectNext.get(now()) as TaskRow | undefined;
      return row ? claim(row) : undefined;
    });
  }

  function launch(row: TaskRow): void {
    const start = starts.get(row.id) ?? deps.recovery.runStarts.runStart(row.id);
    starts.delete(row.id);
    const handle: RunHandle = {
      taskId: row.id,
      llm: new AbortController(),
      tools: new AbortController(),
      stopping: undefined,
      done: Promise.resolve(),
    };
    running.set(row.id, handle);
    handle.done = deps
      .run({
        taskId: row.id,
        owner,
        attempt: row.attempts,
        generation: start.generation,
        unfinishedCall: start.unfinishedCall,
        signals: { llm: handle.llm.signal, tools: handle.tools.signal },
      })
      .then(outcome => finish(handle, outcome))
      .catch(error => console.error(`task ${row.id}: finishing the run failed:`, error))
      .finally(() => {
        running.delete(row.id);
        schedule();
      });
  }

  function retryDelay(attempts: number): number {
    const base = core.config().config.tasks.retry_delay_seconds * 1000;
    const delay = Math.min(600_000, base * 2 ** Math.max(0, attempts - 1));
    return Math.round(delay * (0.8 + 0.4 * random()));
  }

  async function finish(handle: RunHandle, outcome: RunOutcome): Promise<void> {
    const id = handle.taskId;
    const base = { lease_owner: null, lease_expires_at: null };
    const settled = await writes.batch(() => {
      const row = core.taskStore.getRow(id);
      if (row.status === 'CANCELLED') {
        core.taskStore.transition(id, 'FINALIZED', {
          data: { note: 'stopped after cancel', steps: row.steps },
        });
        return true;
      }
      if (row.status !== 'RUNNING' || row.lease_owner !== owner) return false;
      if (outcome.kind === 'completed') {
        core.taskStore.transition(id, 'COMPLETED', {
          patch: { ...base, result: outcome.result, error: null, finished_at: now() },
          data: { steps: row.steps },
        });
        return true;
      }
      if (outcome.kind === 'aborted') {
        // Shutdown: give the task back without using up an attempt; it resumes from the journal.
        core.taskStore.transition(id, 'PENDING', {
          patch: { ...base, attempts: Math.max(0, row.attempts - 1) },
          data: { reason: 'the server stopped; the task resumes from its journal' },
        });
        return false;
      }
      const error: ErrorPayload = outcome.error.toPayload();
      // A foreground run whose very first model call found nothing listening (no LLM started or configured):
      // retrying it here would only keep the user waiting for the same error; `az task retry` runs it again.
      // The server keeps retrying such tasks (a proxy that is still starting comes up).
      const nothingAnswered =
        deps.mode === 'adopt' && outcome.error.code === 'UNAVAILABLE' && row.steps === 0;
      const retryable = outcome.error.details?.retryable === true && !nothingAnswered;
      if (retryable && row.attempts < row.max_attempts) {
        const delay = retryDelay(row.attempts);
        core.taskStore.transition(id, ['FAILED', 'RETRYING'], {
          patch: { ...base, error, not_before: now() + delay },
          data: { auto: true, resume: true, error, retry_in_ms: delay },
        });
        // A foreground run (adopt mode) retries its own task: no queue runner would pick it up here.
        if (deps.mode === 'adopt') readopt(id, delay);
        return false;
      }
      core.taskStore.transition(id, 'FAILED', {
        patch: { ...base, error, finished_at: now() },
        data: { error },
      });
      return true;
    });
    if (settled) await settledHooks(core, core.taskStore.get(id));
  }

  /**
   * Claims one task per commit, not all free slots in one transaction: each claim sees the one before, and each
   * task runs its start-up before the next is claimed. Commits are microtasks (relaxed-writes.ts), so free slots
   * still fill within one turn of the event loop. (Spreading the claims over turns was measured too, in
   * bench/agent.js: no better, and less steady.)
   */
  let claimPending = false;
  function readopt(taskId: string, delayMs: number): void {
    const timer = setTimeout(() => {
      if (closing) return;
      try {
        const row = core.taskStore.getRow(taskId);
        if (row.status === 'RETRYING') launch(writes.write(() => claim(core.taskStore.getRow(taskId))));
      } catch (error) {
        console.error(`task ${taskId}: retrying it failed:`, error);
      }
    }, delayMs);
    timers.push(timer);
  }

  function schedule(): void {
    if (closing || deps.mode !== 'queue' || claimPending) return;
    const settings = core.config().config.tasks;
    if (settings.paused || running.size >= settings.concurrency) return;
    claimPending = true;
    claimNext().then(
      row => {
        claimPending = false;
        if (!row) {
          armWake();
          return;
        }
        if (closing) {
          starts.delete(row.id);
          // Claimed while shutting down: give it straight back.
          writes.write(() =>
            core.taskStore.transition(row.id, 'PENDING', {
              patch: { lease_owner: null, lease_expires_at: null, attempts: row.attempts - 1 },
            }),
          );
          return;
        }
        launch(row);
        schedule();
      },
      error => {
        claimPending = false;
        console.error('claiming a task failed:', error);
      },
    );
  }

  /** Wakes the queue when the earliest delayed retry becomes due. */
  function armWake(): void {
    if (wakeTimer) clearTimeout(wakeTimer);
    wakeTimer = undefined;
    const due = (selectNextDue.get(now()) as { due: number | null }).due;
    if (due === null) return;
    wakeTimer = setTimeout(schedule, Math.max(10, due - now()));
    wakeTimer.unref();
  }

  function watch(): void {
    if (running.size === 0) return;
    const ids = [...running.keys()];
    const rows = core.db
      .prepare(`SELECT id, status, lease_owner FROM tasks WHERE id IN (${ids.map(() => '?').join(', ')})`)
      .all(...ids) as { id: string; status: string; lease_owner: string | null }[];
    for (const row of rows) {
      if (row.status === 'RUNNING' && row.lease_owner === owner) continue;
      const handle = running.get(row.id);
      if (!handle || handle.stopping) continue;
      handle.stopping = row.status === 'CANCELLED' ? 'cancel' : 'lost';
      handle.llm.abort(new AppError('CANCELLED', 'the task was cancelled'));
      handle.tools.abort(new AppError('CANCELLED', 'the task was cancelled'));
    }
    if (now() - lastHeartbeat >= HEARTBEAT_MS) {
      lastHeartbeat = now();
      writes.write(() => heartbeat.run(now() + LEASE_MS, owner));
    }
  }

  function checkIdle(): void {
    if (!deps.onIdle || idleReported) return;
    // A server started on demand for a home that has since been deleted has nothing left to serve.
    if (!existsSync(core.paths.database)) {
      idleReported = true;
      deps.onIdle();
      return;
    }
    const active = running.size > 0 || (countActive.get() as { n: number }).n > 0;
    if (active) {
      lastBusy = now();
      return;
    }
    if (now() - lastBusy >= core.config().config.tasks.daemon_idle_minutes * 60_000) {
      idleReported = true;
      deps.onIdle();
    }
  }

  const every = (ms: number, work: () => void): void => {
    const timer = setInterval(() => {
      try {
        work();
      } catch (error) {
        console.error('executor:', error);
      }
    }, ms);
    timer.unref();
    timers.push(timer);
  };

  return {
    /** Recovers interrupted tasks and starts the loops; returns how many tasks were recovered. */
    start(): number {
      const recovered = recoverInterrupted(deps.recovery);
      every(WATCH_MS, watch);
      if (deps.mode === 'queue') {
        every(POLL_MS, () => {
          schedule();
          checkIdle();
        });
        every(RECOVER_MS, () => {
          if (recoverInterrupted(deps.recovery) > 0) schedule();
        });
        schedule();
      }
      return recovered;
    },

    wake: schedule,

    /** Runs one queued task in this process now, whatever the mode (a foreground `az task run`). */
    adopt(taskId: string): TaskRow {
      const row = writes.write(() => {
        let current = core.taskStore.getRow(taskId);
        if (current.status === 'INITIALIZED')
          current = core.taskStore.transition(taskId, 'PENDING', { data: { by: owner } });
        return claim(current);
      });
      launch(row);
      return row;
    },

    cancel(taskId: string): boolean {
      const handle = running.get(taskId);
      if (!handle) return false;
      handle.stopping = 'cancel';
      handle.llm.abort(new AppError('CANCELLED', 'the task was cancelled'));
      handle.tools.abort(new AppError('CANCELLED', 'the task was cancelled'));
      return true;
    },

    runs(): number {
      return running.size;
    },

    /** Waits for the task's run in this process to end (resolves at once when none runs). */
    async settled(taskId: string): Promise<void> {
      await running.get(taskId)?.done;
    },

    async close(): Promise<void> {
      closing = true;
      for (const timer of timers) {
        clearInterval(timer);
        clearTimeout(timer);
      }
      if (wakeTimer) clearTimeout(wakeTimer);
      const graceTimers: NodeJS.Timeout[] = [];
      for (const handle of running.values()) {
        handle.stopping ??= 'shutdown';
        handle.llm.abort(new AppError('CANCELLED', 'the server is stopping'));
        graceTimers.push(
          setTimeout(
            () => handle.tools.abort(new AppError('CANCELLED', 'the server is stopping')),
            TOOL_GRACE_MS,
          ),
        );
      }
      let timeout: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all([...running.values()].map(handle => handle.done)),
        new Promise(resolve => {
          timeout = setTimeout(resolve, CLOSE_WAIT_MS);
        }),
      ]);
      clearTimeout(timeout);
      for (const timer of graceTimers) clearTimeout(timer);
    },
  };
}
