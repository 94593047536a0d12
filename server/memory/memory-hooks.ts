/**
 * Memory's part in running tasks: before the first step, the memories most relevant to the task (RAG); after
 * completion, the task's summary becomes a memory. Memory trouble never fails a task: it is logged and the
 * task runs without it.
 */
import { MEMORY_TEXT_MAX } from '../../protocol/tools/memory-tools.js';
import { RESOURCE_URIS } from '../../protocol/resources.js';
import type { Task } from '../../protocol/task.js';
import type { Core } from '../core.js';
import type { RetrievedContext, TaskLifecycleHooks } from '../tasks/task-hooks.js';
import type { MemoryRuntime } from './memory-runtime.js';

const RAG_TIMEOUT_MS = 15_000;
const RAG_MEMORY_CHARS = 1200;

export const taskSummaryId = (taskId: string): string => `task:${taskId}`;

function clip(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

export function summaryText(task: Task): string {
  return clip(
    [
      `Task: ${task.title}`,
      `Request: ${clip(task.prompt, 2000)}`,
      `Outcome: ${task.result ?? '(no result text)'}`,
    ].join('\n'),
    MEMORY_TEXT_MAX,
  );
}

function withTimeout<T>(promise: Promise<T>, ms: number, signal: AbortSignal): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    const abort = () => resolve(undefined);
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal.removeEventListener('abort', abort);
    });
  });
}

/** Retrieval for a task: the memories most similar to its prompt, above memory.rag_min_score. */
export async function retrieveForTask(
  core: Core,
  memory: MemoryRuntime,
  task: Task,
  signal: AbortSignal,
): Promise<RetrievedContext | undefined> {
  const settings = core.config().config.memory;
  if (!settings.enabled || settings.rag_results === 0) return undefined;
  const collection = memory.collection(undefined);
  const found = await withTimeout(
    memory.store().search(collection, clip(task.prompt, 4000), settings.rag_results + 1, undefined, signal),
    RAG_TIMEOUT_MS,
    signal,
  );
  const hits = (found?.hits ?? [])
    .filter(hit => hit.id !== taskSummaryId(task.id) && hit.score >= settings.rag_min_score)
    .slice(0, settings.rag_results);
  if (hits.length === 0) return undefined;
  const lines = hits.map(
    hit => `- [${hit.id}] (similarity ${hit.score.toFixed(2)}) ${clip(hit.text, RAG_MEMORY_CHARS)}`,
  );
  return {
    text: [
      `Memories from earlier work that may be relevant (collection ${collection}, most similar first; check them before relying on them, and use search_memory for more):`,
      ...lines,
    ].join('\n'),
    ids: hits.map(hit => hit.id),
  };
}

export function createMemoryHooks(core: Core, memory: MemoryRuntime): TaskLifecycleHooks {
  return {
    name: 'memory',
    async beforeFirstStep(task, signal) {
      try {
        return await retrieveForTask(core, memory, task, signal);
      } catch (error) {
        console.error(
          `memory: no retrieval for task ${task.id}: ${error instanceof Error ? error.message : error}`,
        );
        return undefined;
      }
    },
    async onCompleted(task) {
      const settings = core.config().config.memory;
      if (!settings.enabled || !settings.task_summaries) return;
      try {
        await memory
          .store()
          .add(memory.collection(undefined), [{ id: taskSummaryId(task.id), text: summaryText(task) }], {
            az_source: 'task',
            az_task_id: task.id,
            az_workspace: task.workspace,
          });
        core.feed.publishAggregate(RESOURCE_URIS.memoryCollections);
      } catch (error) {
        console.error(
          `memory: summary of task ${task.id} not stored: ${error instanceof Error ? error.message : error}`,
        );
      }
    },
  };
}
