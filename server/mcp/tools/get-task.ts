import { getTaskTool } from '../../../protocol/tools/task-tools.js';
import { implementTool } from '../tool-definition.js';

export const getTask = implementTool(getTaskTool, (args, { core }) => ({
  task: core.taskStore.get(args.task_id),
}));
