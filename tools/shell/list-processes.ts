/** list_processes: background commands started with run_shell_command, with their state and latest output. */
import * as z from 'zod';
import { ToolError } from '../errors.js';
import { describeProcess, RunShellCommandOutputSchema } from './run-shell-command.js';
import type { ShellToolDeps } from './shell-deps.js';
import { lazySchema } from '../lazy-schema.js';

export const ListProcessesInputSchema = lazySchema(() =>
  z.strictObject({
    process_id: z.string().max(64).optional().describe('Only this process (with its full captured output)'),
  }),
);
export type ListProcessesInput = z.infer<ReturnType<typeof ListProcessesInputSchema>>;

export const ProcessEntrySchema = lazySchema(() =>
  RunShellCommandOutputSchema().extend({
    process_id: z.string(),
    pid: z.number().int().nullable(),
    started_at: z.string(),
  }),
);

export const ListProcessesOutputSchema = lazySchema(() =>
  z.object({ processes: z.array(ProcessEntrySchema()) }),
);
export type ListProcessesOutput = z.infer<ReturnType<typeof ListProcessesOutputSchema>>;

/** Output shown per process when listing all of them (ask for one process_id to see everything kept). */
const LIST_OUTPUT_CHARS = 2000;

export async function listProcesses(
  input: ListProcessesInput,
  deps: Pick<ShellToolDeps, 'processes' | 'owner' | 'seesAll' | 'access'>,
): Promise<ListProcessesOutput> {
  await deps.access.authorize({ tool: 'list_processes', operation: 'read', paths: [] });
  const visible = deps.processes.list(deps.seesAll ? undefined : deps.owner);
  const chosen =
    input.process_id === undefined ? visible : visible.filter(process => process.id === input.process_id);
  if (input.process_id !== undefined && chosen.length === 0) {
    throw new ToolError('NOT_FOUND', `no background process ${input.process_id} of yours`, {
      hint: 'list_processes without arguments shows the ones you may see.',
    });
  }
  const tail = (text: string): string =>
    input.process_id === undefined && text.length > LIST_OUTPUT_CHARS
      ? `…${text.slice(-LIST_OUTPUT_CHARS)}`
      : text;
  return {
    processes: chosen.map(process => {
      const described = describeProcess(process);
      return {
        ...described,
        stdout: tail(described.stdout),
        stderr: tail(described.stderr),
        process_id: process.id,
        pid: process.pid ?? null,
        started_at: new Date(process.startedAt).toISOString(),
      };
    }),
  };
}
