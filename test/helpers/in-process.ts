/** A real MCP client connected to an in-process AZ-OS server over the SDK's in-memory transport. */
import { Client } from '@modelcontextprotocol/client';
import { AzClient } from '../../protocol/client.js';
import { openInProcess } from '../../server/index.js';

export async function connectInProcess(env: Record<string, string | undefined>): Promise<AzClient> {
  const server = await openInProcess({ env });
  const sdk = new Client({ name: 'az-test', version: '0.0.0' });
  await sdk.connect(server.clientTransport);
  return new AzClient(sdk, () => server.close());
}

/** Runs `work` with a client of a fresh in-process server on `env`, closed afterwards whatever happens. */
export async function withInProcess<T>(
  env: Record<string, string | undefined>,
  work: (client: AzClient) => Promise<T>,
): Promise<T> {
  const client = await connectInProcess(env);
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}
