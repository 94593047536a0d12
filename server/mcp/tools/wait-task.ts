import { WAIT_TASK_DEFAULT_TIMEOUT_SECONDS, waitTaskTool } from '../../../protocol/tools/task-tools.js';
import { implementTool } from '../tool-definition.js';

export const waitTask = implementTool(waitTaskTool, async (args, { core, signal }) => {
  const timeoutMs = Math.round((args.timeout_seconds ?? WAIT_TASK_DEFAULT_TIMEOUT_SECONDS) * 1000);
  return core.tasks.wait(args.task_id, timeoutMs, signal);
});
