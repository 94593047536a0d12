import { getTaskLogTool } from '../../../protocol/tools/task-tools.js';
import { implementTool } from '../tool-definition.js';

export const getTaskLog = implementTool(getTaskLogTool, (args, { core }) => {
  const page = core.taskStore.events(args.task_id, args.after_seq ?? 0, args.limit ?? 100);
  return { events: page.events, next_after_seq: page.nextAfterSeq };
});
