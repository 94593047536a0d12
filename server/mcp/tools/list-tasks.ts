import { listTasksTool } from '../../../protocol/tools/task-tools.js';
import { implementTool } from '../tool-definition.js';

export const listTasks = implementTool(listTasksTool, (args, { core }) => {
  const page = core.taskStore.list({
    status: args.status,
    search: args.search,
    limit: args.limit ?? 50,
    cursor: args.cursor,
  });
  return { tasks: page.tasks, next_cursor: page.nextCursor };
});
