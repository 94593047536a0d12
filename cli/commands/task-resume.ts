import { AppError } from '../../protocol/errors.js';
import { resumeTaskTool } from '../../protocol/tools/agent-tools.js';
import { getTaskLogTool } from '../../protocol/tools/task-tools.js';
import type { Command } from '../command.js';
import { followTask } from '../task-follow.js';

const command: Command = {
  usage: 'az task resume ID [--assume-done | --rerun] [--detach] [--json]',
  summary: 'Continue a failed or interrupted task from its last recorded step',
  flags: {
    assumeDone: {
      type: 'boolean',
      description: 'A call whose result was lost took effect (you checked): record it as done',
    },
    rerun: { type: 'boolean', description: 'A call whose result was lost did not take effect: run it again' },
    detach: { type: 'boolean', description: 'Queue it for the server and return' },
  },
  args: 1,
  details:
    'Finished steps are replayed from the journal, never run again. A call that started but has no recorded\n' +
    'result is run again only when its tool is read-only or idempotent; otherwise resume stops (exit 10) and\n' +
    'says what to check, and you choose --assume-done or --rerun.',
  async run({ connect, out, globals, input, flags, signal }) {
    if (flags.assumeDone === true && flags.rerun === true) {
      throw new AppError('INVALID_INPUT', '--assume-done and --rerun contradict each other; choose one');
    }
    const client = await connect();
    const taskId = input[0] as string;
    // Show what happens from the resume on, not the whole history again.
    const after = await lastSeq(client, taskId);
    const { task } = await client.call(resumeTaskTool, {
      task_id: taskId,
      unfinished_call: flags.assumeDone === true ? 'assume_done' : flags.rerun === true ? 'rerun' : 'stop',
    });
    if (flags.detach === true) {
      if (globals.json) out.json({ task });
      else out.print(`${task.id} ${task.status}`);
      return;
    }
    return followTask(client, task.id, { out, json: globals.json, signal, afterSeq: after });
  },
};

async function lastSeq(client: Parameters<typeof followTask>[0], taskId: string): Promise<number> {
  let after = 0;
  for (;;) {
    const page = await client.call(getTaskLogTool, { task_id: taskId, after_seq: after, limit: 500 });
    after = page.events.at(-1)?.seq ?? after;
    if (page.next_after_seq === null) return after;
  }
}
export default command;
