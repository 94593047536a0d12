import { unsetConfigTool } from '../../../protocol/tools/system-tools.js';
import { implementTool } from '../tool-definition.js';

export const unsetConfig = implementTool(unsetConfigTool, (args, { core }) => {
  const result = core.configService.unset(args.key);
  // A queue setting (tasks.paused, tasks.concurrency) takes effect now, not at the queue's next poll.
  if (args.key.startsWith('tasks.')) core.tasks.wake();
  return result;
});
