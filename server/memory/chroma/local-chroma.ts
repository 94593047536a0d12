/**
 * The local Chroma server AZ-OS starts and supervises itself: lazily on first use, on a free loopback port,
 * data in AZ_HOME/chroma, health-checked, restarted with backoff when it dies, stopped with the last AZ-OS
 * process that uses it.
 *
 * Several AZ-OS processes may share one home (the daemon, `az mcp` processes, an in-process CLI). They share
 * one Chroma through AZ_HOME/chroma.json ({pid, port, owner, users}), changed only under AZ_HOME/chroma.lock:
 * the first process starts Chroma and owns it; others register as users and reuse it. A process that closes
 * leaves; the last one stops Chroma; an owner that leaves hands supervision to a remaining user. A crashed
 * owner's Chroma keeps running (it is detached) and is adopted by the next process.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../../protocol/errors.js';
import { openSqlite } from '../../store/database.js';
import type { ComponentStatus } from '../../../protocol/tools/system-tools.js';
import { withFileLock, processAlive } from './file-lock.js';
import { openLog, stopProcess, tailOf } from './chroma-process.js';
import { chromaCliPath, findFreePort, heartbeat, missingBinding } from './chroma-binary.js';

export interface LocalChromaOptions {
  dataDir: string;
  stateFile: string;
  lockFile: string;
  logFile: string;
  /** Marks a compaction to run the next time Chroma is not running (default: `${dataDir}.compact`). */
  compactFile?: string;
  /** How often the health check runs (ms). */
  healthIntervalMs?: number;
  /** How long a start may take before it counts as failed (ms). */
  startTimeoutMs?: number;
  log?: (message: string) => void;
}

export interface ChromaEndpoint {
  host: string;
  port: number;
}

interface ChromaState {
  pid: number;
  port: number;
  owner: string;
  users: string[];
  data_dir: string;
  started_at: string;
}

export interface LocalChroma {
  /** The endpoint of a healthy local Chroma, started if needed. Throws UNAVAILABLE with the reason. */
  ensure(options?: { recheck?: boolean }): Promise<ChromaEndpoint>;
  /** Health for get_status; never starts Chroma. */
  probe(): Promise<ComponentStatus>;
  /** Leave; stop Chroma when no other process uses it. */
  close(): Promise<void>;
  /** True while Chroma has never stored anything here (no need to start it to find no collections). */
  empty(): boolean;
  /**
   * Asks for Chroma's SQLite file to be compacted (VACUUM) the next time no Chroma runs on it — when the last
   * process stops it, or before the next start. Chroma leaves deleted records' text in free pages; after
   * memories written in clear were re-encrypted, this is what removes the old text from the folder.
   */
  compactLater(): void;
}

const HOST = '127.0.0.1';
const MAX_BACKOFF_MS = 60_000;

const userAlive = (user: string): boolean => processAlive(Number.parseInt(user.split(':')[0] ?? '', 10));

export function createLocalChroma(options: LocalChromaOptions): LocalChroma {
  const { dataDir, stateFile, lockFile, logFile } = options;
  const healthIntervalMs = options.healthIntervalMs ?? 5000;
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const log = options.log ?? ((message: string) => console.error(`memory: ${message}`));
  const me = `${process.pid}:${randomUUID().slice(0, 8)}`;
  let endpoint: ChromaEndpoint | undefined;
  let child: ChildProcess | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let lastError: string | undefined;
  let failures = 0;
  let nextAttemptAt = 0;
  let restarts = 0;
  let inFlight: Promise<ChromaEndpoint> | undefined;
  /** The Chroma this process last used: stopped at close if its home was deleted meanwhile (no state left). */
  let usedPid: number | undefined;

  const readState = (): ChromaState | undefined => {
    try {
      return JSON.parse(readFileSync(stateFile, 'utf8')) as ChromaState;
    } catch {
      return undefined;
    }
  };
  const writeState = (state: ChromaState): void => {
    const temporary = `${stateFile}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, stateFile);
  };
  const compactFile = options.compactFile ?? `${dataDir}.compact`;
  const database = join(dataDir, 'chroma.sqlite3');

  /** Runs a requested compaction; call only under the lock with no Chroma running on dataDir. */
  const compactIfRequested = (): void => {
    if (!existsSync(compactFile)) return;
    try {
      if (existsSync(database)) {
        // Chroma's own file, not ours: opened plain, journal mode untouched, rewritten whole by VACUUM.
        const db = openSqlite(database);
        try {
          db.exec('VACUUM');
        } finally {
          db.close();
        }
        log(`compacted ${database}`);
      }
      rmSync(compactFile, { force: true });
    } catch (error) {
      log(`could not compact ${database}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const lock = <T>(fn: () => Promise<T>): Promise<T> =>
    withFileLock(lockFile, { timeoutMs: startTimeoutMs + 10_000, staleMs: startTimeoutMs + 30_000 }, fn);

  async function start(): Promise<ChromaState> {
    const missing = missingBinding();
    if (missing) throw new AppError('UNAVAILABLE', missing, { hint: 'Run npm ci in the AZ-OS folder.' });
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const port = await findFreePort(HOST);
    const logFd = openLog(logFile);
    // Security: Chroma gets a minimal environment (no API keys or tokens from ours) and binds loopback only.
    // Loaded here, not at import: every in-process command loads this module, few start Chroma.
    const { spawn } = process.getBuiltinModule('node:child_process');
    const started = spawn(
      process.execPath,
      [chromaCliPath(), 'run', '--path', dataDir, '--host', HOST, '--port', String(port)],
      {
        detached: true,
        stdio: ['ignore', logFd, logFd],
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LANG: process.env.LANG ?? 'C' },
      },
    );
    closeSync(logFd);
    started.unref();
    let exited: string | undefined;
    started.once('exit', (code, signal) => (exited = signal ?? `exit code ${code}`));
    started.once('error', error => (exited = error.message));
    const deadline = Date.now() + startTimeoutMs;
    while (Date.now() < deadline) {
      if (exited !== undefined) break;
      if (await heartbeat(HOST, port, 1000)) {
        child = started;
        watchChild(started);
        log(`started local Chroma (pid ${started.pid}, ${HOST}:${port}, data ${dataDir})`);
        return {
          pid: started.pid as number,
          port,
          owner: me,
          users: [me],
          data_dir: dataDir,
          started_at: new Date().toISOString(),
        };
      }
      await sleep(50);
    }
    if (started.pid !== undefined && exited === undefined) await stopProcess(started.pid, dataDir);
    const tail = tailOf(logFile);
    throw new AppError(
      'UNAVAILABLE',
      `the local Chroma server did not start (${exited ?? `no answer within ${startTimeoutMs} ms`})`,
      { hint: `See ${logFile}.`, details: tail ? { log_tail: tail } : undefined },
    );
  }

  function watchChild(process_: ChildProcess): void {
    process_.once('exit', (code, signal) => {
      if (closed || child !== process_) return;
      child = undefined;
      endpoint = undefined;
      lastError = `local Chroma exited (${signal ?? `code ${code}`}); restarting`;
      log(lastError);
      setTimeout(() => void tick(), 0).unref();
    });
  }

  async function acquire(): Promise<ChromaEndpoint> {
    return lock(async () => {
      let state = readState();
      const healthy =
        state !== undefined && processAlive(state.pid) && (await heartbeat(HOST, state.port, 2000));
      if (state && !healthy) {
        if (processAlive(state.pid)) await stopProcess(state.pid, dataDir);
        state = undefined;
      }
      if (!state) {
        compactIfRequested();
        state = await start();
      } else {
        state.users = [...state.users.filter(user => user !== me && userAlive(user)), me];
        if (!userAlive(state.owner)) state.owner = me;
      }
      writeState(state);
      usedPid = state.pid;
      return { host: HOST, port: state.port };
    });
  }

  function recordFailure(error: unknown): void {
    restarts += 1;
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (restarts - 1));
    nextAttemptAt = Date.now() + delay;
    lastError = `${error instanceof Error ? error.message : String(error)} (next try in ${Math.round(delay / 1000)} s)`;
    log(lastError);
  }

  /** The health check: re-registers after another process restarted Chroma, restarts it when it died. */
  async function tick(): Promise<void> {
    if (closed) return;
    const state = readState();
    if (state && processAlive(state.pid) && (await heartbeat(HOST, state.port, 2000))) {
      failures = 0;
      endpoint = { host: HOST, port: state.port };
      if (!state.users.includes(me) || !userAlive(state.owner))
        await ensure({ recheck: true }).catch(() => undefined);
      return;
    }
    failures += 1;
    if (failures < 2 && state && processAlive(state.pid)) return; // one slow answer is not a death
    endpoint = undefined;
    if (Date.now() < nextAttemptAt) return;
    await ensure({ recheck: true }).catch(() => undefined);
  }

  async function ensure(ensureOptions: { recheck?: boolean } = {}): Promise<ChromaEndpoint> {
    if (closed) throw new AppError('UNAVAILABLE', 'memory is shutting down');
    if (endpoint && !ensureOptions.recheck) return endpoint;
    if (!inFlight && lastError && Date.now() < nextAttemptAt) {
      throw new AppError('UNAVAILABLE', `the local Chroma server is not available: ${lastError}`, {
        hint: `See ${logFile}; az status shows the memory component.`,
      });
    }
    inFlight ??= acquire()
      .then(found => {
        endpoint = found;
        lastError = undefined;
        failures = 0;
        restarts = 0;
        nextAttemptAt = 0;
        return found;
      })
      .catch((error: unknown) => {
        recordFailure(error);
        throw error;
      })
      .finally(() => {
        inFlight = undefined;
        timer ??= setInterval(() => void tick(), healthIntervalMs).unref();
      });
    return inFlight;
  }

  return {
    ensure,
    async probe() {
      const state = readState();
      if (state && processAlive(state.pid) && (await heartbeat(HOST, state.port, 1500))) {
        return {
          status: 'ok',
          detail: `local Chroma at ${HOST}:${state.port} (pid ${state.pid}, data ${dataDir})`,
          data: {
            mode: 'local',
            port: state.port,
            pid: state.pid,
            users: state.users.filter(userAlive).length,
          },
        };
      }
      if (lastError) return { status: 'unavailable', detail: lastError, data: { mode: 'local' } };
      const missing = missingBinding();
      if (missing) return { status: 'unavailable', detail: missing, data: { mode: 'local' } };
      return {
        status: 'ok',
        detail: `local Chroma not running; it starts on first use (data ${dataDir})`,
        data: { mode: 'local' },
      };
    },
    empty: () => !existsSync(database),
    compactLater() {
      writeFileSync(compactFile, `${new Date().toISOString()}\n`, { mode: 0o600 });
    },
    async close() {
      if (closed) return;
      closed = true;
      if (timer) clearInterval(timer);
      if (inFlight) await inFlight.catch(() => undefined);
      if (
        endpoint === undefined &&
        child === undefined &&
        usedPid === undefined &&
        !readState()?.users.includes(me)
      )
        return;
      if (usedPid !== undefined && !existsSync(dirname(stateFile))) {
        // The home was deleted under us: no state, no lock, nobody else can find this Chroma again.
        await stopProcess(usedPid, dataDir);
        log(`stopped local Chroma (pid ${usedPid}): its home ${dirname(stateFile)} is gone`);
      } else {
        await lock(async () => {
          const state = readState();
          if (!state) return;
          const others = state.users.filter(user => user !== me && userAlive(user));
          if (others.length > 0) {
            state.users = others;
            if (state.owner === me || !userAlive(state.owner)) state.owner = others[0] as string;
            writeState(state);
            return;
          }
          await stopProcess(state.pid, dataDir);
          rmSync(stateFile, { force: true });
          log(`stopped local Chroma (pid ${state.pid})`);
          compactIfRequested();
        }).catch(error =>
          log(`could not stop local Chroma: ${error instanceof Error ? error.message : error}`),
        );
      }
      child = undefined;
      endpoint = undefined;
    },
  };
}
