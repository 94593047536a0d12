import { AppError } from '../../protocol/errors.js';
import { TASK_STATUSES, type TaskStatus, type TaskSummary } from '../../protocol/task.js';
import { LIST_TASKS_MAX_LIMIT, listTasksTool } from '../../protocol/tools/task-tools.js';
import type { Command } from '../command.js';
import { taskTable } from '../task-format.js';

function parseStatuses(values: readonly string[]): TaskStatus[] {
  const statuses = values
    .flatMap(value => value.split(','))
    .map(value => value.trim().toUpperCase())
    .filter(Boolean);
  for (const status of statuses) {
    if (!(TASK_STATUSES as readonly string[]).includes(status)) {
      throw new AppError('INVALID_INPUT', `unknown status '${status}'`, {
        hint: `Valid statuses: ${TASK_STATUSES.join(', ')}.`,
      });
    }
  }
  return statuses as TaskStatus[];
}

const command: Command = {
  usage: 'az task list [--status S[,S]] [--search TEXT] [--limit N] [--all] [--json]',
  summary: 'List tasks, newest first',
  flags: {
    status: {
      type: 'string',
      isMultiple: true,
      description: `Only these statuses (${TASK_STATUSES.join(', ')})`,
    },
    search: { type: 'string', description: 'Only titles containing this text' },
    limit: { type: 'number', description: `Tasks per page (default 50, max ${LIST_TASKS_MAX_LIMIT})` },
    cursor: { type: 'string', description: 'Continue after a previous page (next_cursor)' },
    all: { type: 'boolean', description: 'Fetch every page' },
  },
  args: 0,
  async run({ connect, out, globals, flags, signal }) {
    const client = await connect();
    const status = parseStatuses((flags.status as string[] | undefined) ?? []);
    const tasks: TaskSummary[] = [];
    let cursor = flags.cursor as string | undefined;
    let nextCursor: string | null = null;
    do {
      const page = await client.call(listTasksTool, {
        ...(status.length > 0 ? { status } : {}),
        search: flags.search as string | undefined,
        limit: (flags.limit as number | undefined) ?? (flags.all ? LIST_TASKS_MAX_LIMIT : undefined),
        cursor,
      });
      tasks.push(...page.tasks);
      nextCursor = page.next_cursor;
      cursor = nextCursor ?? undefined;
    } while (flags.all === true && nextCursor !== null && !signal.aborted);
    if (globals.json) {
      out.json({ tasks, next_cursor: nextCursor });
      return;
    }
    if (tasks.length === 0) {
      out.note('No tasks. Create one with: az task create "PROMPT"');
      return;
    }
    out.print(taskTable(tasks, out.width));
    if (nextCursor !== null) out.note(`More tasks: az task list --cursor ${nextCursor} (or --all)`);
  },
};
export default command;
