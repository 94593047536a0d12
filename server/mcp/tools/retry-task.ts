import { retryTaskTool } from '../../../protocol/tools/task-tools.js';
import { implementTool } from '../tool-definition.js';

export const retryTask = implementTool(retryTaskTool, (args, { core, principal }) => ({
  task: core.tasks.retry(args.task_id, principal.name),
}));
