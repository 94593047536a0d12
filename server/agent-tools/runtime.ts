/**
 * What the agent tools share for the life of a server process: the process table, the sandbox probe (run
 * once, lazily), the policy, and the key that seals permission questions. Built by the agent-tools service.
 */
import { randomBytes } from 'node:crypto';
import { createRequestStateCodec, type RequestStateCodec } from '@modelcontextprotocol/server';
import { probeBubblewrap, type BubblewrapProbe } from '../../tools/sandbox/bubblewrap.js';
import { ProcessTable } from '../../tools/shell/process-table.js';
import type { Core } from '../core.js';
import type { PermissionState } from '../security/permission-gate.js';
import { createPolicy, type Policy } from '../security/policy.js';

export interface AgentToolsRuntime {
  core: Core;
  processes: ProcessTable;
  probe: () => Promise<BubblewrapProbe>;
  policy: Policy;
  codec: RequestStateCodec<PermissionState>;
  /** The environment commands are derived from (scrubbed before use). */
  env: Record<string, string | undefined>;
}

export function createAgentToolsRuntime(
  core: Core,
  env: Record<string, string | undefined>,
): AgentToolsRuntime {
  let probe: Promise<BubblewrapProbe> | undefined;
  return {
    core,
    processes: new ProcessTable(),
    probe: () => (probe ??= probeBubblewrap(env)),
    policy: createPolicy(),
    codec: createRequestStateCodec<PermissionState>({ key: randomBytes(32), ttlSeconds: 600 }),
    env,
  };
}
