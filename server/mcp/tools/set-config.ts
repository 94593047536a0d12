import { setConfigTool } from '../../../protocol/tools/system-tools.js';
import { implementTool } from '../tool-definition.js';

export const setConfig = implementTool(setConfigTool, (args, { core }) => {
  const result = core.configService.set(args.key, args.value);
  // A queue setting (tasks.paused, tasks.concurrency) takes effect now, not at the queue's next poll.
  if (args.key.startsWith('tasks.')) core.tasks.wake();
  return result;
});
