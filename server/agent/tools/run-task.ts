import { RUN_TASK_DEFAULT_TIMEOUT_SECONDS, runTaskTool } from '../../../protocol/tools/agent-tools.js';
import { implementTool } from '../../mcp/tool-definition.js';
import type { AgentRuntime } from '../agent-runtime.js';
import { followTask } from '../follow-task.js';

/** run_task: create, start (here in a foreground CLI, else by the server) and follow with progress. */
export function runTask(agent: AgentRuntime) {
  return implementTool(runTaskTool, async (args, { core, principal, signal, progress }) => {
    const { timeout_seconds: timeout, ...request } = args;
    const foreground = agent.runsInForeground();
    const task = core.tasks.create({ ...request, start: !foreground }, principal.name);
    if (foreground) agent.executor.adopt(task.id);
    let count = 0;
    return followTask(core, task.id, {
      timeoutMs: Math.round((timeout ?? RUN_TASK_DEFAULT_TIMEOUT_SECONDS) * 1000),
      signal,
      onEvent: event => {
        count += 1;
        const summary =
          typeof event.data?.summary === 'string' ? event.data.summary : (event.to_status ?? event.type);
        void progress(count, undefined, summary);
      },
    });
  });
}
