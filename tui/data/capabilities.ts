/**
 * What the connected server offers, from tools/list: the dashboard lights up cost, checkpoint and resume
 * features when their tools exist, and says "not available on this server" when they do not (a server with
 * fewer services, or an older one). A role never sees tools it may not call, so the list also tells which
 * actions this token may take.
 */
import type { DashboardClient } from './connection.js';

export interface Capabilities {
  /** Every tool name the server lists for this token. */
  tools: ReadonlySet<string>;
}

export const NO_CAPABILITIES: Capabilities = { tools: new Set() };

export async function discoverCapabilities(client: DashboardClient): Promise<Capabilities> {
  return { tools: await client.toolNames() };
}
