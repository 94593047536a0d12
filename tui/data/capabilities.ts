/**
 * What the connected server offers, from tools/list: the dashboard lights up cost, checkpoint and resume
 * features when their tools exist, and says "not available on this server" when they do not (a server with
 * fewer services, or an older one). A role never sees tools it may not call, so the list also tells which
 * actions this token may take.
 */
import type { Client } from '@modelcontextprotocol/client';

export interface Capabilities {
  /** Every tool name the server lists for this token. */
  tools: ReadonlySet<string>;
}

export const NO_CAPABILITIES: Capabilities = { tools: new Set() };

export async function discoverCapabilities(sdk: Client): Promise<Capabilities> {
  const tools = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < 20; page += 1) {
    const result = await sdk.listTools(cursor === undefined ? undefined : { cursor });
    for (const tool of result.tools) tools.add(tool.name);
    cursor = result.nextCursor;
    if (cursor === undefined) break;
  }
  return { tools };
}
