/**
 * A real AZ-OS server for dashboard tests: the normal services (the agent with its cost, budget and resume
 * tools, checkpoints, tokens…) on a free port, plus a real viewer token. `runTasks` makes it run the queue like
 * `az serve` (give it a home from createAgentHome, wired to the scripted LLM server); without it, tasks stay
 * queued. `minimal` serves only the task and system tools, like a server from before the agent, memory and
 * checkpoints: the dashboard must work against it too.
 */
import { randomBytes } from 'node:crypto';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { composeRuntime, type Runtime } from '../../server/compose.js';
import { startDaemon } from '../../server/http/daemon.js';
import { createMcpServerInstance } from '../../server/mcp/create-mcp-server.js';
import type { Principal } from '../../server/mcp/principal.js';
import { SYSTEM_TOOLS } from '../../server/mcp/tools/index.js';
import { SERVICES, type Service } from '../../server/services.js';
import { createTokenStore } from '../../server/tokens/token-store.js';
import type { ConnectionEvents, DashboardConnection } from '../../tui/data/connection.js';
import { wrapClient } from '../../tui/data/sdk-connection.js';

export interface TestServer {
  url: string;
  adminToken: string;
  /** A viewer token from the token store (undefined on a minimal server, which has no token service). */
  viewerToken: string | undefined;
  /** Its name, the principal the server sees (token names are never reused: each start makes a new one). */
  viewerName: string;
  runtime: Runtime;
  close(): Promise<void>;
}

export async function startTestServer(
  env: Record<string, string | undefined>,
  options: { minimal?: boolean; runTasks?: boolean } = {},
): Promise<TestServer> {
  const services: readonly Service[] = options.minimal
    ? [({ addTools }) => addTools(SYSTEM_TOOLS)]
    : SERVICES;
  const runtime = await composeRuntime({ env }, 'daemon', { runTasks: options.runTasks === true }, services);
  const viewerName = `dashboard-viewer-${randomBytes(4).toString('hex')}`;
  const viewerToken = options.minimal
    ? undefined
    : createTokenStore(runtime.core.db).create(viewerName, 'viewer', 'test').token;
  const daemon = await startDaemon(
    runtime.core,
    runtime.registry,
    { port: 0, allowRemote: false, allowedHosts: [] },
    runtime.tokenResolvers,
  );
  await runtime.start();
  return {
    url: daemon.info.url,
    adminToken: runtime.core.adminToken(),
    viewerToken,
    viewerName,
    runtime,
    async close() {
      await daemon.close();
      await runtime.close();
    },
  };
}

/** A 2025-era connection over the in-memory transport to the same runtime, as `principal`. */
export async function inProcessConnection(
  runtime: Runtime,
  events: ConnectionEvents,
  principal: Principal = { name: 'local:test', role: 'admin', via: 'in-process' },
): Promise<DashboardConnection> {
  const server = createMcpServerInstance(runtime.core, runtime.registry, {
    principal,
    profile: 'all',
    liveUpdates: 'subscribed',
  });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  const sdk = new Client({ name: 'az-dashboard-test', version: '0.0.0' });
  await sdk.connect(clientTransport);
  return wrapClient(sdk, events, { onClose: () => server.close() });
}

/** Polls until `check` returns a value (not undefined/false) or the time is up. */
export async function waitFor<T>(
  check: () => T | undefined | false,
  timeoutMs = 5000,
  what: string | (() => string) = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}
