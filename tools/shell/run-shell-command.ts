/**
 * run_shell_command: one command line in the workspace, sandboxed, bounded in time and output, with a
 * scrubbed environment. In the foreground it returns the exit code and output; with `background` it returns
 * a process id at once (for servers and watchers) to follow with list_processes and stop with kill_process.
 */
import * as z from 'zod';
import { ToolError } from '../errors.js';
import { kindOf } from '../fs/confine.js';
import { planLaunch } from '../sandbox/launcher.js';
import type { ManagedProcess } from './managed-process.js';
import type { ShellToolDeps } from './shell-deps.js';
import { lazySchema } from '../lazy-schema.js';

export const COMMAND_MAX_CHARS = 32 * 1024;

export const RunShellCommandInputSchema = lazySchema(() =>
  z.strictObject({
    command: z
      .string()
      .min(1)
      .max(COMMAND_MAX_CHARS)
      .describe('A bash command line, e.g. "npm test 2>&1 | tail -50"'),
    cwd: z.string().optional().describe("Working directory, relative to the workspace root (default '.')"),
    timeout_seconds: z
      .number()
      .int()
      .min(1)
      .max(3600)
      .optional()
      .describe(
        'Kill it (and everything it started) after this long; default 60 (background: the policy maximum)',
      ),
    background: z
      .boolean()
      .optional()
      .describe('Start it and return a process_id at once (servers, watchers); default false'),
  }),
);
export type RunShellCommandInput = z.infer<ReturnType<typeof RunShellCommandInputSchema>>;

export const RunShellCommandOutputSchema = lazySchema(() =>
  z.object({
    command: z.string(),
    cwd: z.string(),
    sandbox: z.enum(['bubblewrap', 'none']),
    exit_code: z.number().int().nullable().describe('null when it was killed or is still running'),
    signal: z.string().nullable(),
    timed_out: z.boolean(),
    duration_ms: z.number().int(),
    stdout: z.string().describe('Escape sequences removed; the middle is dropped beyond the output limit'),
    stderr: z.string(),
    stdout_dropped_bytes: z.number().int(),
    stderr_dropped_bytes: z.number().int(),
    process_id: z
      .string()
      .optional()
      .describe('For background commands: use with list_processes and kill_process'),
    status: z.enum(['running', 'exited', 'killed', 'timed_out', 'failed']),
  }),
);
export type RunShellCommandOutput = z.infer<ReturnType<typeof RunShellCommandOutputSchema>>;

export function describeProcess(process: ManagedProcess): RunShellCommandOutput {
  return {
    command: process.command,
    cwd: process.cwd,
    sandbox: process.sandbox,
    exit_code: process.exitCode,
    signal: process.signal,
    timed_out: process.status === 'timed_out',
    duration_ms: Math.round((process.endedAt ?? Date.now()) - process.startedAt),
    stdout: process.stdout.text(),
    stderr: process.startError ? `${process.stderr.text()}${process.startError}` : process.stderr.text(),
    stdout_dropped_bytes: process.stdout.droppedBytes,
    stderr_dropped_bytes: process.stderr.droppedBytes,
    ...(process.background ? { process_id: process.id } : {}),
    status: process.status,
  };
}

export async function runShellCommand(
  input: RunShellCommandInput,
  deps: ShellToolDeps,
): Promise<RunShellCommandOutput> {
  // The time limit bounds the whole call, so launching (and a first sandbox probe) counts against it.
  const callStarted = Date.now();
  const { confinement, access, limits } = deps;
  if (input.command.includes('\0')) throw new ToolError('INVALID_INPUT', 'the command contains a NUL byte');
  const cwd = confinement.resolve(input.cwd ?? '.');
  const shown = confinement.display(cwd.real);
  if (!cwd.stats?.isDirectory()) {
    throw new ToolError(
      cwd.stats ? 'INVALID_INPUT' : 'NOT_FOUND',
      cwd.stats ? `'${shown}' is ${kindOf(cwd.stats)}, not a directory` : `'${shown}' does not exist`,
    );
  }
  const background = input.background === true;
  // A background process runs until it is killed, its owner ends, or the longest time the policy allows.
  const timeoutSeconds = Math.min(
    input.timeout_seconds ?? (background ? limits.maxTimeoutSeconds : limits.defaultTimeoutSeconds),
    limits.maxTimeoutSeconds,
  );
  if (background && deps.processes.runningBackground(deps.owner) >= limits.maxBackground) {
    throw new ToolError('CONFLICT', `${limits.maxBackground} background processes are already running`, {
      hint: 'Stop one with kill_process (list_processes shows them) before starting another.',
    });
  }
  // The launch plan first: a command that cannot run (no sandbox) is refused before anyone is asked about it.
  const plan = await planLaunch(input.command, cwd.real, deps.launcher);
  await deps.access.authorize({
    tool: 'run_shell_command',
    operation: 'execute',
    paths: [cwd.real],
    command: input.command,
  });
  access.recordTargets([cwd.real]);
  const managed = await deps.processes.start({
    owner: deps.owner,
    command: input.command,
    cwdShown: shown,
    sandbox: plan.sandbox,
    background,
    spec: { file: plan.file, args: plan.args, cwd: cwd.real, env: deps.environment },
    outputLimitBytes: limits.outputBytes,
    timeoutMs: Math.max(1, timeoutSeconds * 1000 - (Date.now() - callStarted)),
    // A background process outlives the request that started it (not its owner).
    signal: background ? undefined : deps.signal,
  });
  if (background) return describeProcess(managed);
  await managed.finished;
  return describeProcess(managed);
}
