import { isSettled } from '../../protocol/task.js';
import { getTaskLogTool, getTaskTool } from '../../protocol/tools/task-tools.js';
import type { Command } from '../command.js';
import { eventLine } from '../task-format.js';

const command: Command = {
  usage: 'az task logs ID [--follow] [--after SEQ] [--limit N] [--json]',
  summary: "Show a task's event log",
  flags: {
    follow: {
      type: 'boolean',
      shortFlag: 'f',
      description: 'Keep printing new events until the task settles',
    },
    after: { type: 'number', description: 'Only events after this sequence number' },
    limit: { type: 'number', description: 'Events per request (default 100)' },
  },
  args: 1,
  details: 'With --json and --follow, events are printed as one JSON object per line.',
  async run({ connect, out, globals, input, flags, signal }) {
    const client = await connect();
    const taskId = input[0] as string;
    let after = (flags.after as number | undefined) ?? 0;
    const follow = flags.follow === true;
    const collected = [];
    for (;;) {
      const page = await client.call(getTaskLogTool, {
        task_id: taskId,
        after_seq: after,
        limit: flags.limit as number | undefined,
      });
      for (const event of page.events) {
        if (globals.json && !follow) collected.push(event);
        else if (globals.json) out.print(JSON.stringify(event));
        else out.print(eventLine(event));
        after = event.seq;
      }
      if (page.next_after_seq !== null) continue;
      if (!follow || signal.aborted) break;
      const { task } = await client.call(getTaskTool, { task_id: taskId });
      if (isSettled(task.status)) {
        const rest = await client.call(getTaskLogTool, { task_id: taskId, after_seq: after });
        for (const event of rest.events) out.print(globals.json ? JSON.stringify(event) : eventLine(event));
        break;
      }
      await new Promise(resolve => setTimeout(resolve, 500));
    }
    if (globals.json && !follow) out.json({ events: collected, next_after_seq: null });
  },
};
export default command;
