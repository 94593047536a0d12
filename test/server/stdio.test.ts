import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AzClient } from '../../protocol/client.js';
import { createTaskTool, getTaskTool } from '../../protocol/tools/task-tools.js';
import { AZ_BIN } from '../helpers/processes.js';
import { createTempHome, type TempHome } from '../helpers/temp-home.js';

describe.each(['legacy', 'auto'] as const)('az mcp over stdio (%s negotiation)', mode => {
  let temp: TempHome;
  let client: AzClient;
  let stderr = '';

  beforeEach(async () => {
    temp = createTempHome();
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [AZ_BIN, 'mcp', '--tools', 'full'],
      env: temp.env as Record<string, string>,
      stderr: 'pipe',
    });
    transport.stderr?.on('data', chunk => (stderr += String(chunk)));
    const sdk = new Client({ name: 'stdio-test', version: '0' }, { versionNegotiation: { mode } });
    await sdk.connect(transport);
    client = new AzClient(sdk);
  });

  afterEach(async () => {
    await client.close();
    temp.cleanup();
  });

  it('serves the task tools and keeps stdout clean for the protocol', async () => {
    const { task } = await client.call(createTaskTool, { prompt: 'over stdio' });
    expect((await client.call(getTaskTool, { task_id: task.id })).task.title).toBe('over stdio');
    const names = (await client.sdk.listTools()).tools.map(tool => tool.name);
    expect(names).toContain('retry_task');
    expect(stderr).not.toMatch(/Error|at \S+ \(/);
  });
});
