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
  entry(
    'mcp add',
    'Add an external MCP server for the agent (-- COMMAND or --url)',
    () => import('./mcp-add.js'),
  ),
  entry('mcp list', 'List the external MCP servers of the agent', () => import('./mcp-list.js')),
  entry('mcp remove', 'Remove an external MCP server', () => import('./mcp-remove.js')),
  entry('status', 'Show server health, task counts and subsystem status', () => import('./status.js')),
  entry(
    'task run',
    'Run a task, streaming steps, tool calls and cost (Ctrl-C cancels)',
    () => import('./task-run.js'),
  ),
  entry('task create', 'Queue a task and print its id', () => import('./task-create.js')),
  entry('task list', 'List tasks, newest first', () => import('./task-list.js')),
  entry('task show', 'Show one task', () => import('./task-show.js')),
  entry('task logs', "Show a task's event log (--follow to stream it)", () => import('./task-logs.js')),
  entry('task wait', 'Wait for a task to finish', () => import('./task-wait.js')),
  entry('task cancel', 'Cancel a queued or running task', () => import('./task-cancel.js')),
  entry('task retry', 'Run a failed task again from the start', () => import('./task-retry.js')),
  entry(
    'task resume',
    'Continue a failed or interrupted task from its journal',
    () => import('./task-resume.js'),
  ),
  entry('cost show', 'Show what model calls cost, by task, model or day', () => import('./cost-show.js')),
  entry(
    'cost budget',
    'Show or set the budgets (per task, per day, total)',
    () => import('./cost-budget.js'),
  ),
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
  entry('memory add', 'Remember a piece of text', () => import('./memory-add.js')),
  entry('memory search', 'Find memories by meaning', () => import('./memory-search.js')),
  entry('memory delete', 'Delete memories by id or metadata', () => import('./memory-delete.js')),
  entry(
    'memory collections',
    'List memory collections and their embedders',
    () => import('./memory-collections.js'),
  ),
  entry(
    'memory reindex',
    'Re-embed a collection with the configured embedder',
    () => import('./memory-reindex.js'),
  ),
  entry(
    'memory ingest',
    'Remember files, in chunks that keep path and lines',
    () => import('./memory-ingest.js'),
  ),
  entry(
    'memory setup',
    'Install a local sentence-embedding model (needs a network once)',
    () => import('./memory-setup.js'),
  ),
  entry('checkpoint list', 'List checkpoints of a workspace', () => import('./checkpoint-list.js')),
  entry('checkpoint diff', 'Show what changed since a checkpoint', () => import('./checkpoint-diff.js')),
  entry(
    'checkpoint restore',
    'Put a workspace back at a checkpoint (undoable)',
    () => import('./checkpoint-restore.js'),
  ),
  entry('db encrypt', 'Encrypt the database at rest (SQLCipher 4)', () => import('./db-encrypt.js')),
  entry('db decrypt', 'Turn an encrypted database back into a plain one', () => import('./db-decrypt.js')),
  entry('db rekey', 'Rotate the database key', () => import('./db-rekey.js')),
  entry('db backup', 'Back up database, memory and checkpoints (online)', () => import('./db-backup.js')),
  entry('db restore', 'Restore a backup (verified first; server stopped)', () => import('./db-restore.js')),
  entry('db prune', 'Delete data beyond the retention policies', () => import('./db-prune.js')),
  entry(
    'doctor',
    'Check the installation and data, with a fix for each problem',
    () => import('./doctor.js'),
  ),
  entry('token create', 'Create an HTTP token with a role (shown once)', () => import('./token-create.js')),
  entry('token list', 'List HTTP tokens (never the tokens themselves)', () => import('./token-list.js')),
  entry('token revoke', 'Revoke an HTTP token', () => import('./token-revoke.js')),
  entry('audit show', 'Show the audit log, newest first', () => import('./audit-show.js')),
  entry(
    'audit verify',
    'Check the audit log hash chain (exit 12 if a row was edited or deleted)',
    () => import('./audit-verify.js'),
  ),
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
