/**
 * Following a task until it settles or a timeout passes, reporting each new event (step, tool call, cost) as
 * it is recorded. Works whichever process runs the task: it listens to this process's change feed and also
 * polls the database, where other processes write.
 */
import { isSettled, type Task, type TaskEvent } from '../../protocol/task.js';
import { taskEventsUri } from '../../protocol/resources.js';
import type { Core } from '../core.js';

const POLL_MS = 250;

export interface FollowResult {
  task: Task;
  done: boolean;
  waited_ms: number;
}

export async function followTask(
  core: Core,
  taskId: string,
  options: {
    timeoutMs: number;
    signal?: AbortSignal;
    afterSeq?: number;
    onEvent?: (event: TaskEvent) => void;
  },
): Promise<FollowResult> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  let after = options.afterSeq ?? 0;
  const uri = taskEventsUri(taskId);
  for (;;) {
    for (;;) {
      const page = core.taskStore.events(taskId, after, 200);
      for (const event of page.events) {
        after = event.seq;
        options.onEvent?.(event);
      }
      if (page.nextAfterSeq === null) break;
    }
    const task = core.taskStore.get(taskId);
    const waited = Date.now() - started;
    if (isSettled(task.status)) return { task, done: true, waited_ms: waited };
    if (Date.now() >= deadline || options.signal?.aborted) return { task, done: false, waited_ms: waited };
    await new Promise<void>(resolve => {
      const finish = (): void => {
        clearTimeout(timer);
        unsubscribe();
        options.signal?.removeEventListener('abort', finish);
        resolve();
      };
      const timer = setTimeout(finish, Math.max(0, Math.min(POLL_MS, deadline - Date.now())));
      const unsubscribe = core.feed.subscribe(changed => {
        if (changed === uri) finish();
      });
      options.signal?.addEventListener('abort', finish, { once: true });
    });
  }
}
