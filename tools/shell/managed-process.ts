/**
 * One command running under AZ-OS's control: its output captured within a budget, its wall time bounded, and
 * its whole process tree killed when it times out, is cancelled, is killed, or simply ends (whatever it left
 * running in the background dies with it).
 *
 * Wall time is bounded even when a grandchild keeps the output pipes open: after the command exits (or is
 * killed) the pipes get DRAIN_MS to close, then the tree is killed and the pipes are destroyed.
 */
import { randomBytes } from 'node:crypto';
import type { ResultPromise, execa as Execa } from 'execa';
import { OutputCapture } from './output-capture.js';
import { PROCESS_MARKER, signalTree } from './process-tree.js';

/** How long output pipes may stay open after the command ended before they are cut. */
export const DRAIN_MS = 200;
/** After a kill, how long to wait for the exit before giving up on it (a process stuck in the kernel). */
const EXIT_WAIT_AFTER_KILL_MS = 1000;
/** kill_process: SIGTERM first, SIGKILL after this grace period. */
export const TERMINATE_GRACE_MS = 2000;

export type ProcessStatus = 'running' | 'exited' | 'killed' | 'timed_out' | 'failed';

export interface SpawnSpec {
  file: string;
  args: readonly string[];
  cwd: string;
  env: Record<string, string>;
}

export interface ManagedProcessOptions {
  owner: string;
  command: string;
  /** The working directory as shown to callers. */
  cwdShown: string;
  sandbox: 'bubblewrap' | 'none';
  background: boolean;
  spec: SpawnSpec;
  outputLimitBytes: number;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

let execaLoading: Promise<typeof Execa> | undefined;

/** execa, loaded with the first command: a server that runs none (or a CLI call) does not parse it. */
export function loadExeca(): Promise<typeof Execa> {
  execaLoading ??= import('execa').then(module => module.execa);
  return execaLoading;
}

const delay = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms).unref());

export class ManagedProcess {
  readonly id = `proc_${randomBytes(6).toString('hex')}`;
  readonly owner: string;
  readonly command: string;
  readonly cwd: string;
  readonly sandbox: 'bubblewrap' | 'none';
  readonly background: boolean;
  readonly startedAt = Date.now();
  readonly stdout: OutputCapture;
  readonly stderr: OutputCapture;
  readonly pid: number | undefined;
  status: ProcessStatus = 'running';
  exitCode: number | null = null;
  signal: string | null = null;
  endedAt: number | undefined;
  startError: string | undefined;
  /** Settles when the process and everything it started are gone and the pipes are closed. */
  readonly finished: Promise<void>;
  private stopped: (() => void) | undefined;

  constructor(options: ManagedProcessOptions, execa: typeof Execa) {
    this.owner = options.owner;
    this.command = options.command;
    this.cwd = options.cwdShown;
    this.sandbox = options.sandbox;
    this.background = options.background;
    this.stdout = new OutputCapture(options.outputLimitBytes);
    this.stderr = new OutputCapture(options.outputLimitBytes);
    const subprocess: ResultPromise = execa(options.spec.file, [...options.spec.args], {
      cwd: options.spec.cwd,
      env: { ...options.spec.env, [PROCESS_MARKER]: this.id },
      extendEnv: false,
      // Its own process group, so one signal reaches everything it starts.
      detached: true,
      stdin: 'ignore',
      buffer: false,
      reject: false,
      cleanup: false,
      stripFinalNewline: false,
    });
    this.pid = subprocess.pid;
    subprocess.stdout?.on('data', (chunk: Buffer) => this.stdout.write(chunk));
    subprocess.stderr?.on('data', (chunk: Buffer) => this.stderr.write(chunk));
    const exited = new Promise<void>(resolve => {
      subprocess.once('exit', (code, signal) => {
        this.exitCode = code;
        this.signal = signal;
        resolve();
      });
      subprocess.once('error', error => {
        this.startError = error.message;
        resolve();
      });
    });
    const stoppedSignal = new Promise<void>(resolve => (this.stopped = resolve));
    const streamsClosed = Promise.all(
      [subprocess.stdout, subprocess.stderr].map(
        stream => new Promise<void>(resolve => (stream ? stream.once('close', () => resolve()) : resolve())),
      ),
    );
    const timer = setTimeout(() => this.stop('timed_out'), options.timeoutMs);
    timer.unref();
    const onAbort = (): void => this.stop('killed');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    this.finished = (async () => {
      await Promise.race([
        exited,
        stoppedSignal.then(() => Promise.race([exited, delay(EXIT_WAIT_AFTER_KILL_MS)])),
      ]);
      clearTimeout(timer);
      await Promise.race([streamsClosed, delay(DRAIN_MS)]);
      // Whatever it left behind (background jobs, daemons, pipe holders) goes with it.
      signalTree(this.pid, this.id, 'SIGKILL');
      subprocess.stdout?.destroy();
      subprocess.stderr?.destroy();
      await subprocess.catch(() => undefined);
      options.signal?.removeEventListener('abort', onAbort);
      this.endedAt = Date.now();
      if (this.status === 'running') this.status = this.startError === undefined ? 'exited' : 'failed';
    })();
  }

  get running(): boolean {
    return this.endedAt === undefined;
  }

  /** Kills the whole tree now (SIGKILL). */
  stop(reason: 'killed' | 'timed_out'): void {
    if (this.endedAt !== undefined) return;
    if (this.status === 'running') this.status = reason;
    signalTree(this.pid, this.id, 'SIGKILL');
    this.stopped?.();
  }

  /** SIGTERM to the tree, then SIGKILL after a grace period; resolves when it is gone. */
  async terminate(graceMs = TERMINATE_GRACE_MS): Promise<void> {
    if (this.endedAt !== undefined) return;
    if (this.status === 'running') this.status = 'killed';
    signalTree(this.pid, this.id, 'SIGTERM');
    await Promise.race([this.finished, delay(graceMs)]);
    this.stop('killed');
    await this.finished;
  }
}
