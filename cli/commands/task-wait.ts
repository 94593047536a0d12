import { WAIT_TASK_MAX_TIMEOUT_SECONDS, waitTaskTool } from '../../protocol/tools/task-tools.js';
import type { Command } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { taskDetails } from '../task-format.js';

const command: Command = {
  usage: 'az task wait ID [--timeout SECONDS] [--json]',
  summary: 'Wait for a task to finish',
  flags: {
    timeout: {
      type: 'number',
      description: 'Give up after this many seconds (default: wait until it settles)',
    },
  },
  args: 1,
  details: 'Exit code 0 when the task COMPLETED, 10 when it FAILED or was CANCELLED, 11 on timeout.',
  async run({ connect, out, globals, input, flags, signal }) {
    const client = await connect();
    const taskId = input[0] as string;
    const timeout = flags.timeout as number | undefined;
    const deadline = timeout === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeout * 1000;
    for (;;) {
      const remaining = Math.min(WAIT_TASK_MAX_TIMEOUT_SECONDS, Math.max(0, (deadline - Date.now()) / 1000));
      const result = await client.call(
        waitTaskTool,
        { task_id: taskId, timeout_seconds: remaining },
        { signal, timeoutMs: (remaining + 15) * 1000 },
      );
      if (result.done || Date.now() >= deadline || signal.aborted) {
        if (globals.json) out.json(result);
        else out.print(taskDetails(result.task));
        if (signal.aborted) return EXIT.interrupted;
        if (!result.done) return EXIT.timeout;
        return result.task.status === 'COMPLETED' ? EXIT.ok : EXIT.taskFailed;
      }
    }
  },
};
export default command;
