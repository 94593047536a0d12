/** A real MCP client on the maintenance server (encrypt, decrypt, rekey, restore, doctor) of a home. */
import { Client } from '@modelcontextprotocol/client';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AzClient } from '../../protocol/client.js';
import { openMaintenance } from '../../server/index.js';

export async function connectMaintenance(env: Record<string, string | undefined>): Promise<AzClient> {
  const server = await openMaintenance({ env });
  const sdk = new Client({ name: 'az-test-maintenance', version: '0.0.0' });
  await sdk.connect(server.clientTransport);
  return new AzClient(sdk, () => server.close());
}

/** Every file under `dir` whose bytes contain `needle` (relative paths). */
export function filesContaining(dir: string, needle: string): string[] {
  const found: string[] = [];
  const bytes = Buffer.from(needle);
  const walk = (current: string, prefix: string): void => {
    for (const name of readdirSync(current)) {
      const path = join(current, name);
      const stats = statSync(path);
      if (stats.isDirectory()) walk(path, `${prefix}${name}/`);
      else if (stats.isFile() && readFileSync(path).includes(bytes)) found.push(`${prefix}${name}`);
    }
  };
  walk(dir, '');
  return found;
}
