/**
 * One run of a task: replay its journal, settle what the last run left unfinished, connect the tools, gather
 * context (first run) or tell the hooks it resumes, then run the ReAct loop. Returns how the run ended; the
 * executor turns that into the task's next status.
 */
import { AppError } from '../../protocol/errors.js';
import type { UnfinishedCallChoice } from '../../protocol/tools/agent-tools.js';
import type { Core } from '../core.js';
import type { CostLedger } from '../cost/ledger.js';
import type { PriceLookup } from '../cost/prices.js';
import type { LlmGateway } from '../llm/gateway.js';
import type { ToolRegistry } from '../mcp/register-tools.js';
import type { RelaxedWrites } from '../store/relaxed-writes.js';
import { needsAttentionError } from './attention.js';
import { gatherContext, notifyResume, startPeriodicHooks } from './run-hooks.js';
import type { ContextOutcome, Journal, ToolOutcome } from './journal.js';
import { connectExternal, connectOwn, type Connection } from './mcp-connections.js';
import { openingMessages } from './prompts.js';
import { reactLoop } from './react-loop.js';
import { replayJournal, unsafeUnfinished } from './replay.js';
import {
  createRecorder,
  LeaseLostError,
  type createRecorderStatements,
  type Recorder,
  type RunContext,
  type RunSignals,
} from './run-context.js';
import { samplingHandler } from './sampling.js';
import type { createCachingValidator } from './schema-validators.js';
import { buildToolHub, type OwnToolsCache } from './tool-hub.js';

export interface TaskRunDeps {
  core: Core;
  registry: () => ToolRegistry;
  gateway: LlmGateway;
  ledger: CostLedger;
  journal: Journal;
  writes: RelaxedWrites;
  prices: () => PriceLookup;
  /** Shared by every MCP client the agent opens (see schema-validators.ts). */
  validator: ReturnType<typeof createCachingValidator>;
  statements: ReturnType<typeof createRecorderStatements>;
  ownTools: OwnToolsCache;
}

export interface TaskRunRequest {
  taskId: string;
  owner: string;
  attempt: number;
  generation: number;
  unfinishedCall: UnfinishedCallChoice;
  signals: RunSignals;
}

export type RunOutcome =
  | { kind: 'completed'; result: string }
  | { kind: 'failed'; error: AppError }
  /** Cancelled, shut down, or the lease was lost: the executor knows which. */
  | { kind: 'aborted' };

const ASSUMED_DONE =
  'The result of this call was lost when the process running the task stopped. The user checked and confirmed that it took effect.';
const CONNECT_TIMEOUT_MS = 30_000;

/**
 * Lists AZ-OS's own tools for the agent once, before the server takes work: the first tasks then share the
 * list instead of each waiting for the first listing (converting every tool's schema, then validating the
 * large result). The list does not depend on the task: every task's client is an operator with profile 'all'.
 */
export async function primeOwnTools(deps: TaskRunDeps): Promise<void> {
  if (deps.ownTools.tools) return;
  const { core } = deps;
  const connection = await connectOwn(
    core,
    deps.registry(),
    'tool-list',
    core.paths.workspacesDir,
    deps.validator,
  );
  try {
    await buildToolHub([connection], deps.ownTools);
  } finally {
    await connection.close();
  }
}

export async function runTask(deps: TaskRunDeps, request: TaskRunRequest): Promise<RunOutcome> {
  const { core, journal, ledger } = deps;
  const task = core.taskStore.get(request.taskId);
  const recorder = createRecorder(core, deps.writes, task.id, request.owner, deps.statements);
  let hub: Awaited<ReturnType<typeof buildToolHub>> | undefined;
  let stopPeriodic = (): void => undefined;
  try {
    // Reservations left by an earlier run of this task were never settled: their cost is unknown.
    ledger.interrupt({ taskId: task.id }, 'the run that made this call stopped before recording its result');
    const state = replayJournal(journal.entries(task.id, request.generation));
    const unsafe = unsafeUnfinished(state);
    const [first] = unsafe;
    if (first && request.unfinishedCall === 'stop') {
      return { kind: 'failed', error: needsAttentionError(task.id, task.workspace, first) };
    }
    const resumed = state.llmCalls > 0;
    const assumed = new Set(request.unfinishedCall === 'assume_done' ? unsafe.map(item => item.call.id) : []);
    // A fresh run has nothing to close or replay: no commit for it (the next record checks the lease).
    if (state.unfinished.length > 0 || resumed) {
      await recorder.record(() => {
        for (const item of state.unfinished) journal.finish(item.entry.seq, 'interrupted', undefined);
        for (const item of state.unfinished) {
          if (!assumed.has(item.call.id)) continue;
          const outcome: ToolOutcome = { text: ASSUMED_DONE, is_error: false };
          journal.begin({
            taskId: task.id,
            generation: request.generation,
            attempt: request.attempt,
            step: item.entry.step,
            kind: 'tool',
            callId: item.call.id,
            name: item.entry.name,
            intent: item.intent,
            outcome,
          });
        }
        if (resumed) {
          recorder.event('agent.resumed', {
            summary: `resumed after step ${state.step}: ${state.llmCalls} model calls and ${state.toolCalls} tool calls replayed from the journal`,
            step: state.step,
            rerun: state.unfinished.filter(item => !assumed.has(item.call.id)).map(item => item.entry.name),
            assumed_done: [...assumed],
          });
        }
      });
    }
    for (const call of state.pending) {
      if (!assumed.has(call.id)) continue;
      state.messages.push({ role: 'tool', tool_call_id: call.id, content: ASSUMED_DONE });
      state.repeats.record(call.name, unsafe.find(item => item.call.id === call.id)?.intent.arguments);
    }
    const pending = state.pending.filter(call => !assumed.has(call.id));
    if (state.final !== undefined && pending.length === 0) return { kind: 'completed', result: state.final };

    const config = core.config().config;
    // The sampling handler is made before the run context exists and reads it when a request arrives.
    const current: { run?: RunContext } = {};
    hub = await openHub(
      deps,
      task.id,
      task.workspace,
      () => current.run as RunContext,
      request.signals,
      recorder,
    );
    let context: ContextOutcome | undefined = state.context;
    if (!resumed && context === undefined) {
      context = await gatherContext(core, task, request.signals.llm);
      const recorded = context;
      // Rides with the first model call's intent, in the same commit and before it: lost in a crash before
      // that call, the context is simply gathered again.
      recorder.recordLater(() => {
        journal.begin({
          taskId: task.id,
          generation: request.generation,
          attempt: request.attempt,
          step: 0,
          kind: 'context',
          name: 'context',
          intent: {},
          outcome: recorded,
        });
        if (recorded.ids.length > 0)
          recorder.event('agent.context', {
            summary: `context: ${recorded.ids.length} items retrieved`,
            ids: recorded.ids,
          });
      });
    } else if (resumed && pending.length === 0) {
      // Only at a step boundary: a hook may put the workspace back at that step's checkpoint, which must not
      // undo calls of an unfinished step that the journal records as done.
      await notifyResume(core, task, state.step);
    }
    const run: RunContext = {
      core,
      task,
      owner: request.owner,
      generation: request.generation,
      attempt: request.attempt,
      config,
      journal,
      ledger,
      gateway: deps.gateway,
      prices: deps.prices(),
      writes: deps.writes,
      hub,
      signals: request.signals,
      messages: [...openingMessages(task.prompt, task.workspace, context), ...state.messages],
      repeats: state.repeats,
      step: state.step,
      stepsThisRun: 0,
      ...recorder,
    };
    current.run = run;
    stopPeriodic = startPeriodicHooks(core, task);
    const result = await reactLoop(run, pending);
    return { kind: 'completed', result };
  } catch (error) {
    if (error instanceof LeaseLostError || request.signals.llm.aborted || request.signals.tools.aborted)
      return { kind: 'aborted' };
    if (error instanceof AppError) return { kind: 'failed', error };
    console.error(`task ${task.id}: the agent failed unexpectedly:`, error);
    const message = error instanceof Error ? error.message : String(error);
    return {
      kind: 'failed',
      error: new AppError('INTERNAL', `the agent failed unexpectedly: ${message}`, {
        hint: 'The server log has the details; `az task resume` continues from the last recorded step.',
        details: { retryable: false },
      }),
    };
  } finally {
    // Deferred records (a safe tool's result) are written even when the run ends early.
    await recorder.flushLater();
    stopPeriodic();
    await hub?.close();
  }
}

async function openHub(
  deps: TaskRunDeps,
  taskId: string,
  workspace: string,
  run: () => RunContext,
  signals: RunSignals,
  recorder: Recorder,
) {
  const { core } = deps;
  const servers = Object.entries(core.config().config.mcp.servers);
  const sampling = samplingHandler(run);
  const attempts = await Promise.allSettled([
    connectOwn(core, deps.registry(), taskId, workspace, deps.validator),
    ...servers.map(([name, config]) =>
      connectExternal(name, config, {
        workspace,
        logsDir: core.paths.logsDir,
        sampling,
        timeoutMs: CONNECT_TIMEOUT_MS,
        signal: signals.llm,
        validator: deps.validator,
      }),
    ),
  ]);
  const connections: Connection[] = [];
  const failures: string[] = [];
  for (const attempt of attempts) {
    if (attempt.status === 'fulfilled') connections.push(attempt.value);
    else failures.push(attempt.reason instanceof Error ? attempt.reason.message : String(attempt.reason));
  }
  if (failures.length > 0) {
    await recorder.record(() => {
      for (const failure of failures)
        recorder.event('agent.warning', { summary: `${failure}; continuing without its tools` });
    });
  }
  try {
    return await buildToolHub(connections, deps.ownTools);
  } catch (error) {
    await Promise.all(connections.map(connection => connection.close()));
    throw error;
  }
}
