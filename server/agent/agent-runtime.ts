/**
 * The agent runtime of one process: the LLM gateway, the cost ledger, the journal and the executor, built
 * once per core and shared by the agent, the cost tools and the task tools.
 *
 * Where tasks run: a daemon (`features.runTasks`) runs the queue. Any other process does not; when it queues a
 * task it makes sure a server runs (starting one on demand), except a foreground `az task run` / `az task
 * resume` in a CLI without a server, which runs its own task in-process.
 *
 * The code that runs tasks (the ReAct loop, the LLM gateway with the openai SDK, the MCP client) loads on the
 * first run: `az mcp`, started once per tool call by Agent Zero, never needs it.
 */
import { RESOURCE_URIS } from '../../protocol/resources.js';
import type { Core } from '../core.js';
import { createCostLedger, type CostLedger } from '../cost/ledger.js';
import { createPriceLookup, type PriceLookup } from '../cost/prices.js';
import type { LoadedConfig } from '../config/load.js';
import type { LlmGateway } from '../llm/gateway.js';
import type { ToolRegistry } from '../mcp/register-tools.js';
import type { RuntimeFeatures } from '../services.js';
import { createRelaxedWrites, type RelaxedWrites } from '../store/relaxed-writes.js';
import { ensureDaemon } from './daemon-launcher.js';
import { createExecutor, type Executor } from './executor.js';
import { createJournal, type Journal } from './journal.js';
import { newOwnerId } from './leases.js';
import type { RecoveryDeps } from './recovery.js';
import { createRunStarts } from './run-start.js';
import { createRecorderStatements } from './run-context.js';
import type { primeOwnTools as PrimeOwnTools, runTask as RunTask, TaskRunDeps } from './task-run.js';

export interface AgentRuntime {
  core: Core;
  owner: string;
  writes: RelaxedWrites;
  journal: Journal;
  ledger: CostLedger;
  executor: Executor;
  recovery: RecoveryDeps;
  prices(): PriceLookup;
  /** True in a CLI process without a server: run_task / resume_task run the task right here. */
  runsInForeground(): boolean;
  /** Queued work exists: run it here (daemon) or make sure a server runs. */
  wake(): void;
  start(): Promise<void>;
  close(): Promise<void>;
}

export function createAgentRuntime(
  core: Core,
  features: RuntimeFeatures,
  registry: () => ToolRegistry,
): AgentRuntime {
  const now = Date.now;
  const writes = createRelaxedWrites(core.db, core.paths.database);
  const journal = createJournal(core.db, now);
  const ledger = createCostLedger({
    db: core.db,
    writes,
    now,
    onChange: () => core.feed.publishAggregate(RESOURCE_URIS.cost),
  });
  let priced: { loaded: LoadedConfig; lookup: PriceLookup } | undefined;
  const prices = (): PriceLookup => {
    const loaded = core.config();
    if (priced?.loaded !== loaded) priced = { loaded, lookup: createPriceLookup(loaded.config) };
    return priced.lookup;
  };
  const owner = newOwnerId();
  const statements = createRecorderStatements(core);
  let gateway: LlmGateway | undefined;
  let running:
    Promise<{ runTask: typeof RunTask; primeOwnTools: typeof PrimeOwnTools; deps: TaskRunDeps }> | undefined;
  const loadRunner = () =>
    (running ??= (async () => {
      const [{ runTask, primeOwnTools }, { createLlmGateway }, { createCachingValidator }] =
        await Promise.all([
          import('./task-run.js'),
          import('../llm/gateway.js'),
          import('./schema-validators.js'),
          // The openai SDK too: every task's first step needs it.
          import('../llm/openai-sdk.js').then(module => module.loadOpenAI()),
        ]);
      // And Node's fetch classes, which the SDK uses for every request (Headers): Node loads them on first use.
      new Headers();
      gateway = createLlmGateway({ config: () => core.config(), env: core.env });
      const validator = createCachingValidator();
      const deps: TaskRunDeps = {
        core,
        registry,
        gateway,
        ledger,
        journal,
        writes,
        prices,
        validator,
        statements,
        ownTools: {},
      };
      return { runTask, primeOwnTools, deps };
    })());
  const recovery: RecoveryDeps = {
    core,
    journal,
    ledger,
    writes,
    now,
    owner,
    runStarts: createRunStarts(core.db),
  };
  const executor = createExecutor({
    core,
    writes,
    owner,
    mode: features.runTasks ? 'queue' : 'adopt',
    recovery,
    onIdle: features.onIdle,
    run: async request => {
      const { runTask, deps } = await loadRunner();
      return runTask(deps, request);
    },
  });
  const queuedWork = (): boolean =>
    core.db.prepare("SELECT 1 FROM tasks WHERE status IN ('PENDING', 'RETRYING') LIMIT 1").get() !==
    undefined;
  // A process that runs no queue hands queued work on to a server (started on demand); with nothing queued (a
  // configuration change also wakes the runner) there is nothing to hand on.
  const wake = (): void => {
    if (features.runTasks) executor.wake();
    else if (queuedWork()) ensureDaemon(core);
  };
  return {
    core,
    owner,
    writes,
    journal,
    ledger,
    executor,
    recovery,
    prices,
    runsInForeground: () => !features.runTasks && core.mode === 'in-process',
    wake,
    async start() {
      if (features.runTasks) {
        // A server loads the runner (with the openai SDK) and lists its own tools for the agent before it takes
        // work: otherwise its first tasks would all wait for the load and the listing, then start in lockstep
        // (bench/agent.js: the first requests of the first 50 tasks arrived ~230 ms after the start).
        const { primeOwnTools, deps } = await loadRunner();
        await primeOwnTools(deps).catch(error =>
          console.error('listing the tools for the agent failed (each task lists them itself):', error),
        );
        executor.start();
        return;
      }
      // A process that runs no queue still notices tasks whose process died, and hands queued work on.
      executor.start();
      wake();
    },
    async close() {
      await executor.close();
      gateway?.close();
      await writes.close();
    },
  };
}
