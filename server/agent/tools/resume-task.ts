import { AppError } from '../../../protocol/errors.js';
import { resumeTaskTool } from '../../../protocol/tools/agent-tools.js';
import { implementTool } from '../../mcp/tool-definition.js';
import type { AgentRuntime } from '../agent-runtime.js';
import { needsAttentionError } from '../attention.js';
import { isInterrupted, recoverTask } from '../recovery.js';
import { replayJournal, unsafeUnfinished } from '../replay.js';

/** resume_task: continue a FAILED or interrupted task from its journal. */
export function resumeTask(agent: AgentRuntime) {
  return implementTool(resumeTaskTool, (args, { core, principal }) => {
    const id = args.task_id;
    let row = core.taskStore.getRow(id);
    if (row.status === 'RUNNING') {
      if (!isInterrupted(row, agent.recovery)) {
        throw new AppError('CONFLICT', `task ${id} is running (held by ${row.lease_owner})`, {
          hint: 'Wait for it with `az task wait`, or cancel it first.',
          details: { task_id: id, owner: row.lease_owner },
        });
      }
      recoverTask(agent.recovery, row, false);
      row = core.taskStore.getRow(id);
    }
    if (row.status === 'PENDING' || row.status === 'RETRYING') return { task: core.taskStore.get(id) };
    if (row.status !== 'FAILED') {
      throw new AppError(
        'ILLEGAL_TRANSITION',
        `task ${id} is ${row.status}; only FAILED tasks (or tasks whose process died) can be resumed`,
        {
          hint: row.status === 'COMPLETED' ? undefined : 'Create a new task with the same prompt.',
          details: { task_id: id, status: row.status },
        },
      );
    }
    const choice = args.unfinished_call ?? 'stop';
    const generation = Math.max(1, agent.recovery.runStarts.currentGeneration(id));
    const [first] = unsafeUnfinished(replayJournal(agent.journal.entries(id, generation)));
    if (first && choice === 'stop') throw needsAttentionError(id, row.workspace, first);
    const foreground = agent.runsInForeground();
    agent.writes.write(() =>
      core.taskStore.transition(id, 'RETRYING', {
        patch: { not_before: null, finished_at: null },
        data: { by: principal.name, resume: true, unfinished_call: choice },
      }),
    );
    if (foreground) agent.executor.adopt(id);
    else agent.wake();
    return { task: core.taskStore.get(id) };
  });
}
