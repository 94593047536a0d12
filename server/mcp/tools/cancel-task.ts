import { cancelTaskTool } from '../../../protocol/tools/task-tools.js';
import { implementTool } from '../tool-definition.js';

export const cancelTask = implementTool(cancelTaskTool, (args, { core, principal }) => ({
  task: core.tasks.cancel(args.task_id, args.reason, principal.name),
}));
