/**
 * The command table: names and one-line summaries are static (for help), implementations load lazily so
 * `az task list` never pays for the code of `az serve`.
 */
import type { Command } from '../command.js';

export interface CommandEntry {
  path: readonly string[];
  summary: string;
  load: () => Promise<Command>;
}

const entry = (path: string, summary: string, load: () => Promise<{ default: Command }>): CommandEntry => ({
  path: path.split(' '),
  summary,
  load: async () => (await load()).default,
});

export const COMMANDS: readonly CommandEntry[] = [
  entry('serve', 'Start the AZ-OS server (Streamable HTTP on 127.0.0.1:7777)', () => import('./serve.js')),
  entry('mcp', 'Serve MCP over stdio (for Claude Desktop, Agent Zero, IDEs)', () => import('./mcp.js')),
  entry('status', 'Show server health, task counts and subsystem status', () => import('./status.js')),
  entry('task create', 'Queue a task and print its id', () => import('./task-create.js')),
  entry('task list', 'List tasks, newest first', () => import('./task-list.js')),
  entry('task show', 'Show one task', () => import('./task-show.js')),
  entry('task logs', "Show a task's event log (--follow to stream it)", () => import('./task-logs.js')),
  entry('task wait', 'Wait for a task to finish', () => import('./task-wait.js')),
  entry('task cancel', 'Cancel a queued or running task', () => import('./task-cancel.js')),
  entry('task retry', 'Run a failed task again from the start', () => import('./task-retry.js')),
  entry('config get', 'Show one key or section of the configuration', () => import('./config-get.js')),
  entry('config set', 'Set a configuration key (KEY VALUE or KEY=VALUE)', () => import('./config-set.js')),
  entry('config unset', 'Return a key to its default', () => import('./config-unset.js')),
  entry('config list', 'Show every configuration key with its source', () => import('./config-list.js')),
  entry('db init', 'Create AZ_HOME, config, database and token (idempotent)', () => import('./db-init.js')),
  entry(
    'db status',
    'Show the database: path, size, schema version, integrity',
    () => import('./db-status.js'),
  ),
  entry('db migrate', 'Apply pending database migrations', () => import('./db-migrate.js')),
  entry(
    'dashboard',
    'Open the live dashboard: tasks, step logs, cost, health',
    () => import('./dashboard.js'),
  ),
];

/** Finds the longest command path that prefixes the positional arguments. */
export function findCommand(
  positionals: readonly string[],
): { entry: CommandEntry; rest: string[] } | undefined {
  let best: CommandEntry | undefined;
  for (const candidate of COMMANDS) {
    const matches = candidate.path.every((part, index) => positionals[index] === part);
    if (matches && (!best || candidate.path.length > best.path.length)) best = candidate;
  }
  return best ? { entry: best, rest: positionals.slice(best.path.length) } : undefined;
}

/** Commands under a group prefix, for `az task --help` and unknown subcommands. */
export function commandsUnder(prefix: readonly string[]): CommandEntry[] {
  return COMMANDS.filter(candidate => prefix.every((part, index) => candidate.path[index] === part));
}
