/**
 * The server's public entry: the only module a client (the CLI) may import from server/. It starts AZ-OS in
 * one of three modes — an HTTP daemon, a stdio connection, or an in-process server reached over the SDK's
 * in-memory transport — and every mode serves the same MCP surface.
 */
import { userInfo } from 'node:os';
import { InMemoryTransport, type Transport } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { resolveHome, type HomeOptions } from '../protocol/home.js';
import type { ToolProfile } from '../protocol/tool-contract.js';
import { composeRuntime, type Runtime } from './compose.js';
import { VERSION } from '../protocol/version.js';
import { SERVICES, type Service } from './services.js';
import type { DaemonOptions, RunningDaemon } from './http/daemon.js';
import { createMcpServerInstance } from './mcp/create-mcp-server.js';
import type { Principal } from './mcp/principal.js';

export type { DaemonInfo } from '../protocol/daemon.js';
export type { RunningDaemon } from './http/daemon.js';
export type { Service } from './services.js';

function localUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'user';
  }
}

export interface InProcessServer {
  /** Connect an MCP client to this transport. */
  clientTransport: Transport;
  runtime: Runtime;
  close(): Promise<void>;
}

/** An in-process server for one client, used by the CLI when no daemon runs. */
export async function openInProcess(home: HomeOptions): Promise<InProcessServer> {
  const runtime = await composeRuntime(home, 'in-process');
  const principal: Principal = { name: `local:${localUser()}`, role: 'admin', via: 'in-process' };
  const server = createMcpServerInstance(runtime.core, runtime.registry, {
    principal,
    profile: 'all',
    liveUpdates: 'subscribed',
  });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  return {
    clientTransport,
    runtime,
    async close() {
      await server.close().catch(() => undefined);
      await runtime.close();
    },
  };
}

export interface DaemonHandle {
  daemon: RunningDaemon;
  runtime: Runtime;
  close(): Promise<void>;
}

/**
 * `az serve`: the HTTP daemon of a home. `extraServices` exists for test harnesses (the conformance fixture);
 * the CLI never passes any.
 */
export async function runDaemon(
  home: HomeOptions,
  options: DaemonOptions,
  extraServices: readonly Service[] = [],
): Promise<DaemonHandle> {
  const runtime = await composeRuntime(home, 'daemon', { runTasks: true }, [...SERVICES, ...extraServices]);
  try {
    // The HTTP stack (express, the SDK's HTTP handlers) loads only for the daemon: stdio must start fast.
    const { startDaemon } = await import('./http/daemon.js');
    const daemon = await startDaemon(runtime.core, runtime.registry, options, runtime.tokenResolvers);
    return {
      daemon,
      runtime,
      async close() {
        await daemon.close();
        await runtime.close();
      },
    };
  } catch (error) {
    await runtime.close();
    throw error;
  }
}

/** `az mcp`: MCP over this process's stdin/stdout. Resolves when the client closes the connection. */
export async function runStdio(home: HomeOptions, profile: ToolProfile | undefined): Promise<void> {
  const runtime = await composeRuntime(home, 'stdio');
  const principal: Principal = { name: `stdio:${localUser()}`, role: 'admin', via: 'stdio' };
  const chosen = profile ?? runtime.core.config().config.server.tool_profile;
  const closed = new Promise<void>(resolve => {
    process.stdin.once('end', resolve);
    process.stdin.once('close', resolve);
  });
  const handle = serveStdio(
    ctx =>
      createMcpServerInstance(runtime.core, runtime.registry, {
        principal,
        profile: chosen,
        liveUpdates: ctx.era === 'modern' ? 'all' : 'subscribed',
        era: ctx.era,
      }),
    { onerror: error => console.error('stdio:', error.message) },
  );
  await closed;
  await handle.close().catch(() => undefined);
  await runtime.close();
}

export interface MaintenanceServer {
  clientTransport: Transport;
  close(): Promise<void>;
}

/**
 * Maintenance of a home that needs it to itself or must work when it is broken (`az db encrypt|decrypt|rekey|
 * restore`, `az doctor`): a separate small MCP server in this process that does not open the home first.
 */
export async function openMaintenance(home: HomeOptions): Promise<MaintenanceServer> {
  const paths = resolveHome(home);
  // Loaded on demand: the doctor and the encryption and restore code are not needed by ordinary commands.
  const [{ createMaintenanceServer }, { MAINTENANCE_TOOLS }] = await Promise.all([
    import('./data-protection/maintenance/maintenance-server.js'),
    import('./data-protection/maintenance/maintenance-tools.js'),
  ]);
  const server = createMaintenanceServer(paths, home.env, MAINTENANCE_TOOLS, VERSION);
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  return {
    clientTransport,
    async close() {
      await server.close().catch(() => undefined);
    },
  };
}

export { resolveHome } from '../protocol/home.js';
