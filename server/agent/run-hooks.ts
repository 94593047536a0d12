/**
 * Calling the task lifecycle hooks (memory, checkpoints) at their points in a run. A hook that fails is
 * logged and skipped: it never fails the task.
 */
import type { Task } from '../../protocol/task.js';
import type { Core } from '../core.js';
import type { ContextOutcome } from './journal.js';

export async function gatherContext(core: Core, task: Task, signal: AbortSignal): Promise<ContextOutcome> {
  const outcome: ContextOutcome = { text: '', ids: [], sources: [] };
  const texts: string[] = [];
  for (const hooks of core.taskHooks) {
    if (!hooks.beforeFirstStep) continue;
    try {
      const retrieved = await hooks.beforeFirstStep(task, signal);
      if (!retrieved) continue;
      if (retrieved.text.trim()) texts.push(retrieved.text);
      outcome.ids.push(...retrieved.ids);
      outcome.sources.push(hooks.name);
    } catch (error) {
      console.error(`task hook ${hooks.name}.beforeFirstStep failed:`, error);
    }
  }
  outcome.text = texts.join('\n\n');
  return outcome;
}

export async function notifyResume(core: Core, task: Task, lastStep: number): Promise<void> {
  for (const hooks of core.taskHooks) {
    if (!hooks.beforeResume) continue;
    try {
      await hooks.beforeResume(task, lastStep);
    } catch (error) {
      console.error(`task hook ${hooks.name}.beforeResume failed:`, error);
    }
  }
}

export async function settledHooks(core: Core, task: Task): Promise<void> {
  for (const hooks of core.taskHooks) {
    const hook = task.status === 'COMPLETED' ? hooks.onCompleted : hooks.onSettled;
    if (!hook) continue;
    try {
      await hook.call(hooks, task);
    } catch (error) {
      console.error(`task hook ${hooks.name} (settled) failed:`, error);
    }
  }
}

/** Starts every periodic hook for the task; returns the function that stops them. */
export function startPeriodicHooks(core: Core, task: Task): () => void {
  const timers: NodeJS.Timeout[] = [];
  for (const hooks of core.taskHooks) {
    const periodic = hooks.periodic;
    if (!periodic) continue;
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      periodic
        .run(task)
        .catch(error => console.error(`task hook ${hooks.name}.periodic failed:`, error))
        .finally(() => {
          busy = false;
        });
    }, periodic.intervalMs);
    timer.unref();
    timers.push(timer);
  }
  return () => timers.forEach(timer => clearInterval(timer));
}
