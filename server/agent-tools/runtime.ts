/**
 * What the agent tools share for the life of a server process: the process table, the sandbox probe (run
 * once, lazily), the policy, and resolved roots. Built by the agent-tools service.
 */
import { createConfinement, type Confinement, type ConfinementOptions } from '../../tools/fs/confine.js';
import { createBoundedRunner, type BoundedRunner } from '../../tools/fs/regex-runner.js';
import { probeBubblewrap, type BubblewrapProbe } from '../../tools/sandbox/bubblewrap.js';
import { ProcessTable } from '../../tools/shell/process-table.js';
import type { Core } from '../core.js';
import { createPolicy, type Policy } from '../security/policy.js';

export interface AgentToolsRuntime {
  core: Core;
  processes: ProcessTable;
  probe: () => Promise<BubblewrapProbe>;
  policy: Policy;
  /** Runs caller-supplied regexes and globs with a time limit (one vm context for the process). */
  bounded: BoundedRunner;
  /** The environment commands are derived from (scrubbed before use). */
  env: Record<string, string | undefined>;
  /** A confinement for these roots and forbidden areas (their real paths are looked up at most every few seconds). */
  confinement(options: ConfinementOptions): Confinement;
}

/**
 * How long resolved roots are reused. Safe to reuse: paths are always compared by their real location, so a
 * root replaced meanwhile by a symlink makes paths look outside (refused), never inside.
 */
const CONFINEMENT_TTL_MS = 5000;

export function createAgentToolsRuntime(
  core: Core,
  env: Record<string, string | undefined>,
): AgentToolsRuntime {
  let probe: Promise<BubblewrapProbe> | undefined;
  const confinements = new Map<string, { confinement: Confinement; at: number }>();
  return {
    core,
    processes: new ProcessTable(),
    probe: () => (probe ??= probeBubblewrap(env)),
    policy: createPolicy(),
    bounded: createBoundedRunner(),
    env,
    confinement(options) {
      const key = JSON.stringify(options);
      const now = Date.now();
      const cached = confinements.get(key);
      if (cached && now - cached.at < CONFINEMENT_TTL_MS) return cached.confinement;
      const confinement = createConfinement(options);
      if (confinements.size > 64) confinements.clear();
      confinements.set(key, { confinement, at: now });
      return confinement;
    },
  };
}
