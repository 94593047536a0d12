/**
 * The dashboard's MCP connection to a running AZ-OS server. The dashboard never opens the database; everything
 * is an MCP call.
 *
 * Over HTTP it is made in two steps, so that the first frame waits for as little as possible:
 *  - Tool calls (the task list, status, cost, actions) are stateless 2026-07-28 requests — one POST each over
 *    node:http, results parsed with the protocol/ contracts — and start at once.
 *  - The SDK client (sdk-connection.ts) is loaded and connected on first need: tools/list, resources/read and
 *    the live-update stream, which the store asks for once the first tasks are in. Its load (the SDK's result
 *    schemas, Node's fetch) and its version negotiation cost more than the first reads themselves.
 * A server that does not serve 2026-07-28 statelessly gets everything over the SDK session, in the era it
 * negotiates.
 */
import type { ReadResourceResult } from '@modelcontextprotocol/client';
import { AppError } from '../../protocol/errors.js';
import { StatelessHttpClient, UnsupportedEraError } from '../../protocol/stateless-http-client.js';
import type { CallOptions, ToolCaller } from '../../protocol/tool-result.js';
import { getStatusTool } from '../../protocol/tools/system-tools.js';
import { VERSION } from '../../protocol/version.js';
import type { LiveUpdates } from './live-updates.js';

/** Where the server is: its /mcp URL and the bearer token. */
export interface ServerTarget {
  url: string;
  token: string;
}

/** What the dashboard asks of the server. */
export interface DashboardClient extends ToolCaller {
  readResource(uri: string, options?: CallOptions): Promise<ReadResourceResult>;
  /** Every tool name the server lists for this token (tools/list). */
  toolNames(): Promise<ReadonlySet<string>>;
}

export interface DashboardConnection {
  client: DashboardClient;
  live: LiveUpdates;
  era: 'modern' | 'legacy';
  /** The server URL, for the header (undefined in-process). */
  url: string | undefined;
  close(): Promise<void>;
}

export interface ConnectionEvents {
  onUpdated(uri: string): void;
  /** The notification channel dropped (server stopped, network); the store reconnects. */
  onLost(reason: string): void;
}

const loadSdkConnection = () => import('./sdk-connection.js');

/**
 * Connects over HTTP: resolves once the server answered a first stateless call (get_status), so a wrong URL
 * or a refused token fails here, as the store expects of a connection attempt.
 */
export async function connectHttp(
  target: ServerTarget,
  events: ConnectionEvents,
): Promise<DashboardConnection> {
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    throw new AppError('INVALID_INPUT', `'${target.url}' is not a URL`, {
      hint: 'Use the form http://127.0.0.1:7777/mcp.',
    });
  }
  const calls = new StatelessHttpClient({
    url,
    token: target.token,
    clientInfo: { name: 'az-dashboard', version: VERSION },
    headers: { 'X-AZ-Tool-Profile': 'all' },
  });
  try {
    await calls.call(getStatusTool, {}, { timeoutMs: 10_000 });
  } catch (error) {
    if (!(error instanceof UnsupportedEraError)) throw error;
    // Not a 2026-07-28 server: the SDK negotiates what it speaks, and carries everything.
    return (await loadSdkConnection()).connectSdk(url, target, events);
  }

  let session: Promise<DashboardConnection> | undefined;
  let opened: DashboardConnection | undefined;
  let closed = false;
  const open = (): Promise<DashboardConnection> => {
    if (closed) return Promise.reject(new AppError('UNAVAILABLE', 'the connection is closed'));
    session ??= loadSdkConnection()
      .then(module => module.connectSdk(url, target, events))
      .then(async connection => {
        if (closed) {
          await connection.close();
          throw new AppError('UNAVAILABLE', 'the connection is closed');
        }
        opened = connection;
        return connection;
      });
    return session;
  };

  const client: DashboardClient = {
    call: (contract, args, options) => calls.call(contract, args, options),
    readResource: async (uri, options) => (await open()).client.readResource(uri, options),
    toolNames: async () => (await open()).client.toolNames(),
    close: async () => undefined,
  };
  const live: LiveUpdates = {
    watch: async uris => (await open()).live.watch(uris),
    watching: () => opened?.live.watching() ?? [],
    close: async () => opened?.live.close(),
  };
  return {
    client,
    live,
    era: 'modern',
    url: target.url,
    async close() {
      closed = true;
      const pending = session;
      session = undefined;
      await (await pending?.catch(() => undefined))?.close();
      opened = undefined;
    },
  };
}
