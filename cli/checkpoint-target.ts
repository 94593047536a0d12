/** The workspace a checkpoint command means: --task ID, --workspace DIR, or the current directory. */
import { resolve } from 'node:path';
import type { FlagSpec } from './command.js';

export const TARGET_FLAGS: Record<string, FlagSpec> = {
  workspace: { type: 'string', description: 'Workspace directory (default: the current directory)' },
  task: { type: 'string', description: "Use this task's workspace" },
};

export function checkpointTarget(flags: Record<string, unknown>): { task_id?: string; workspace?: string } {
  if (typeof flags.task === 'string') return { task_id: flags.task };
  return { workspace: resolve(typeof flags.workspace === 'string' ? flags.workspace : process.cwd()) };
}
