/**
 * Task lifecycle hooks: how subsystems take part in running a task without the executor knowing them.
 * The executor (the agent runtime) calls every registered hook at these points; memory (RAG, task summaries)
 * and checkpoints register them. A hook that throws is logged and does not fail the task, except where noted.
 */
import type { Task } from '../../protocol/task.js';

export interface StepInfo {
  /** 1-based step number within the attempt. */
  index: number;
  /** Names of the tools the step called (namespaced as the model saw them). */
  toolCalls: readonly string[];
  /** True when a tool that may write files ran in this step. */
  mayHaveChangedFiles: boolean;
}

export interface RetrievedContext {
  /** Text put into the model's context before the first step. */
  text: string;
  /** Ids of what was retrieved (recorded in the journal). */
  ids: readonly string[];
}

export interface TaskLifecycleHooks {
  name: string;
  /** Before the first step of an attempt: context to add for the model (RAG). */
  beforeFirstStep?(task: Task, signal: AbortSignal): Promise<RetrievedContext | undefined>;
  /** After every step; checkpoints run here when files may have changed. */
  afterStep?(task: Task, step: StepInfo): Promise<void>;
  /** Every `intervalMs` while the task runs (e.g. a periodic checkpoint). */
  periodic?: { intervalMs: number; run(task: Task): Promise<void> };
  /**
   * Before a resumed attempt continues from its last journaled step (e.g. restore the matching checkpoint).
   * Called only when that step is complete (every tool call it asked for is journaled with its result), so a
   * restore to that step's checkpoint cannot undo work the journal records as done; not called otherwise.
   */
  beforeResume?(task: Task, lastStep: number): Promise<void>;
  /** After the task reached COMPLETED (e.g. store its summary as a memory). */
  onCompleted?(task: Task): Promise<void>;
  /** After the task settled in any other way. */
  onSettled?(task: Task): Promise<void>;
}
