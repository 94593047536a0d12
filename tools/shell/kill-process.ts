/** kill_process: stop a background command and everything it started (SIGTERM, then SIGKILL after 2 s). */
import * as z from 'zod';
import { ToolError } from '../errors.js';
import { describeProcess, RunShellCommandOutputSchema } from './run-shell-command.js';
import type { ShellToolDeps } from './shell-deps.js';
import { lazySchema } from '../lazy-schema.js';

export const KillProcessInputSchema = lazySchema(() =>
  z.strictObject({
    process_id: z.string().min(1).max(64).describe('The process_id run_shell_command returned'),
  }),
);
export type KillProcessInput = z.infer<ReturnType<typeof KillProcessInputSchema>>;

export const KillProcessOutputSchema = lazySchema(() =>
  RunShellCommandOutputSchema().extend({
    was_running: z.boolean().describe('False when it had already ended'),
  }),
);
export type KillProcessOutput = z.infer<ReturnType<typeof KillProcessOutputSchema>>;

export async function killProcess(
  input: KillProcessInput,
  deps: Pick<ShellToolDeps, 'processes' | 'owner' | 'seesAll' | 'access'>,
): Promise<KillProcessOutput> {
  const process = deps.processes.get(input.process_id);
  if (!process || !process.background || (!deps.seesAll && process.owner !== deps.owner)) {
    throw new ToolError('NOT_FOUND', `no background process ${input.process_id} of yours`, {
      hint: 'list_processes shows the ones you may stop.',
    });
  }
  await deps.access.authorize({ tool: 'kill_process', operation: 'execute', paths: [] });
  const wasRunning = process.running;
  if (wasRunning) await process.terminate();
  return { ...describeProcess(process), was_running: wasRunning };
}
