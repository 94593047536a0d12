/**
 * The dashboard's SDK session: the MCP SDK client, over Streamable HTTP or any connected transport, for what
 * a one-shot tool call cannot do — tools/list, resources/read and the live-update stream. Loaded on demand
 * (connection.ts imports it lazily): the first frame does not wait for the SDK client, its schemas or fetch.
 */
import {
  Client,
  StreamableHTTPClientTransport,
  type jsonSchemaValidator,
} from '@modelcontextprotocol/client';
import { AzClient } from '../../protocol/client.js';
import { AppError } from '../../protocol/errors.js';
import { fetchWithRequestSignal } from '../../protocol/request-signal-fetch.js';
import { VERSION } from '../../protocol/version.js';
import type { ConnectionEvents, DashboardClient, DashboardConnection, ServerTarget } from './connection.js';
import { createLiveUpdates } from './live-updates.js';

/**
 * Tool results are checked where they are used: against the protocol/ contracts (zod) by AzClient.call. The
 * SDK's default would compile every tool's output schema with ajv after tools/list and check the same results
 * a second time: hundreds of milliseconds of start-up on a busy machine, measured, for no added safety.
 */
const CONTRACT_CHECKED: jsonSchemaValidator = {
  getValidator: () => input => ({ valid: true, data: input as never, errorMessage: undefined }),
};

/** Every tool name the server lists for this connection's token (all pages of tools/list). */
async function listToolNames(sdk: Client): Promise<ReadonlySet<string>> {
  const tools = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < 20; page += 1) {
    const result = await sdk.listTools(cursor === undefined ? undefined : { cursor });
    for (const tool of result.tools) tools.add(tool.name);
    cursor = result.nextCursor;
    if (cursor === undefined) break;
  }
  return tools;
}

/**
 * Wraps an already connected SDK client (HTTP, or the in-memory transport in tests) with live updates.
 * 2026-07-28 connections use subscriptions/listen; 2025-era ones resources/subscribe.
 */
export function wrapClient(
  sdk: Client,
  events: ConnectionEvents,
  options: { url?: string; onClose?: () => Promise<void> } = {},
): DashboardConnection {
  const era = sdk.getProtocolEra() === 'modern' ? 'modern' : 'legacy';
  const live = createLiveUpdates(sdk, era, events);
  const az = new AzClient(sdk, options.onClose);
  const client: DashboardClient = {
    call: (contract, args, callOptions) => az.call(contract, args, callOptions),
    readResource: (uri, callOptions) => az.readResource(uri, callOptions),
    toolNames: () => listToolNames(sdk),
    close: () => az.close(),
  };
  return {
    client,
    live,
    era,
    url: options.url,
    async close() {
      await live.close();
      await client.close();
    },
  };
}

/** Connects the SDK client over HTTP; negotiates 2026-07-28 when the server offers it (AZ-OS does). */
export async function connectSdk(
  url: URL,
  target: ServerTarget,
  events: ConnectionEvents,
): Promise<DashboardConnection> {
  const sdk = new Client(
    { name: 'az-dashboard', version: VERSION },
    { versionNegotiation: { mode: 'auto' }, capabilities: {}, jsonSchemaValidator: CONTRACT_CHECKED },
  );
  const transport = new StreamableHTTPClientTransport(url, {
    requestInit: { headers: { Authorization: `Bearer ${target.token}`, 'X-AZ-Tool-Profile': 'all' } },
    fetch: fetchWithRequestSignal,
  });
  try {
    await sdk.connect(transport);
  } catch (error) {
    await sdk.close().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError(
      /\b401\b|unauthori[sz]ed/i.test(reason) ? 'UNAUTHORIZED' : 'UNAVAILABLE',
      `cannot reach ${target.url}: ${reason}`,
      { cause: error, hint: 'Check that `az serve` runs, and AZ_TOKEN / the token file of the home.' },
    );
  }
  sdk.onclose = () => events.onLost('the connection closed');
  return wrapClient(sdk, events, { url: target.url });
}
