/** The `executor` component of get_status: who runs tasks for this home, and how busy it is. */
import { findDaemon } from '../../protocol/daemon.js';
import type { ComponentStatus } from '../../protocol/tools/system-tools.js';
import type { RuntimeFeatures } from '../services.js';
import type { AgentRuntime } from './agent-runtime.js';

export function executorStatusProvider(agent: AgentRuntime, features: RuntimeFeatures) {
  return (): ComponentStatus => {
    const { tasks } = agent.core.config().config;
    if (features.runTasks) {
      return {
        status: 'ok',
        detail: `running ${agent.executor.runs()} of at most ${tasks.concurrency} tasks in this server`,
        data: { running: agent.executor.runs(), concurrency: tasks.concurrency, owner: agent.owner },
      };
    }
    const daemon = findDaemon(agent.core.paths);
    if (daemon)
      return {
        status: 'ok',
        detail: `tasks run in the server at ${daemon.url} (pid ${daemon.pid})`,
        data: { server: daemon.url },
      };
    return tasks.autostart_daemon
      ? {
          status: 'ok',
          detail: 'no server runs; one starts when a task is queued',
          data: { autostart: true },
        }
      : {
          status: 'degraded',
          detail:
            'no server runs and tasks.autostart_daemon is off: queued tasks wait for `az serve` (az task run runs in the foreground)',
          data: { autostart: false },
        };
  };
}
