/**
 * The dashboard's MCP connection: an SDK client over Streamable HTTP to a running AZ-OS server, plus the
 * live-update channel for its era. The dashboard never opens the database; everything is an MCP call.
 */
import {
  Client,
  StreamableHTTPClientTransport,
  type jsonSchemaValidator,
} from '@modelcontextprotocol/client';
import { AzClient } from '../../protocol/client.js';
import { AppError } from '../../protocol/errors.js';
import { VERSION } from '../../protocol/version.js';
import { createLiveUpdates, type LiveUpdates } from './live-updates.js';

/**
 * Tool results are checked where they are used: against the protocol/ contracts (zod) by AzClient.call. The
 * SDK's default would compile every tool's output schema with ajv after tools/list and check the same results
 * a second time: hundreds of milliseconds of start-up on a busy machine, measured, for no added safety.
 */
const CONTRACT_CHECKED: jsonSchemaValidator = {
  getValidator: () => input => ({ valid: true, data: input as never, errorMessage: undefined }),
};

/** Where the server is: its /mcp URL and the bearer token. */
export interface ServerTarget {
  url: string;
  token: string;
}

export interface DashboardConnection {
  client: AzClient;
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
  const client = new AzClient(sdk, options.onClose);
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

/** Connects over HTTP; negotiates 2026-07-28 when the server offers it (AZ-OS does), else the 2025 era. */
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
  const sdk = new Client(
    { name: 'az-dashboard', version: VERSION },
    { versionNegotiation: { mode: 'auto' }, capabilities: {}, jsonSchemaValidator: CONTRACT_CHECKED },
  );
  const transport = new StreamableHTTPClientTransport(url, {
    requestInit: { headers: { Authorization: `Bearer ${target.token}`, 'X-AZ-Tool-Profile': 'all' } },
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
