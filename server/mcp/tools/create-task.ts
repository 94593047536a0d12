import { createTaskTool } from '../../../protocol/tools/task-tools.js';
import { implementTool } from '../tool-definition.js';

export const createTask = implementTool(createTaskTool, (args, { core, principal }) => ({
  task: core.tasks.create(args, principal.name),
}));
