/** Real SDK clients over Streamable HTTP, one per protocol era. */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { AzClient } from '../../protocol/client.js';

export type Era = 'legacy' | 'modern';

export async function connectHttp(
  url: string,
  token: string,
  era: Era,
  headers: Record<string, string> = {},
): Promise<AzClient> {
  const sdk = new Client(
    { name: `az-test-${era}`, version: '0.0.0' },
    { versionNegotiation: { mode: era === 'modern' ? { pin: '2026-07-28' } : 'legacy' } },
  );
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { Authorization: `Bearer ${token}`, ...headers } },
  });
  await sdk.connect(transport);
  return new AzClient(sdk);
}
