/**
 * Instance setups may register tools directly with the SDK (the conformance fixture does). AZ-OS owns
 * tools/list to apply profiles and roles, so such a tool is listed only when the setup passes it to
 * listTool, and it can never shadow an AZ-OS tool.
 */
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { composeRuntime, type Runtime } from '../../../server/compose.js';
import { createMcpServerInstance } from '../../../server/mcp/create-mcp-server.js';
import type { InstanceSetup } from '../../../server/mcp/register-tools.js';
import { SERVICES } from '../../../server/services.js';
import { createTempHome, type TempHome } from '../../helpers/temp-home.js';

describe('instance setups', () => {
  let temp: TempHome;
  let runtime: Runtime | undefined;

  beforeEach(() => {
    temp = createTempHome();
  });

  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    temp.cleanup();
  });

  async function connect(setup: InstanceSetup): Promise<Client> {
    runtime = await composeRuntime({ env: temp.env }, 'in-process', { runTasks: false }, [
      ...SERVICES,
      ({ addInstanceSetup }) => addInstanceSetup(setup),
    ]);
    const server = createMcpServerInstance(runtime.core, runtime.registry, {
      principal: { name: 'test', role: 'admin', via: 'in-process' },
      profile: 'core',
      liveUpdates: 'none',
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'setup-test', version: '0.0.0' });
    await client.connect(clientSide);
    return client;
  }

  it('lists a directly registered tool beside the AZ-OS tools once passed to listTool', async () => {
    const client = await connect((server, { listTool }) => {
      listTool(
        'echo_listed',
        server.registerTool('echo_listed', { description: 'listed' }, () => ({
          content: [{ type: 'text', text: 'listed' }],
        })),
      );
      server.registerTool('echo_unlisted', { description: 'unlisted' }, () => ({
        content: [{ type: 'text', text: 'unlisted' }],
      }));
    });
    const names = (await client.listTools()).tools.map(tool => tool.name);
    expect(names).toContain('echo_listed');
    expect(names).toContain('get_task');
    expect(names).not.toContain('echo_unlisted');
    expect(await client.callTool({ name: 'echo_unlisted' })).toMatchObject({
      content: [{ type: 'text', text: 'unlisted' }],
    });
    await client.close();
  });

  it('refuses to list a second entry under the name of an AZ-OS tool', async () => {
    await expect(
      connect((server, { listTool }) => {
        listTool(
          'get_task',
          server.registerTool('shadow', { description: 'shadow' }, () => ({ content: [] })),
        );
      }),
    ).rejects.toThrow(/get_task is an AZ-OS tool/);
  });
});
