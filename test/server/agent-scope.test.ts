import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AzClient } from '../../protocol/client.js';
import { createCheckpointTool, listCheckpointsTool } from '../../protocol/tools/checkpoint-tools.js';
import { addMemoryTool, searchMemoryTool } from '../../protocol/tools/memory-tools.js';
import { composeRuntime, type Runtime } from '../../server/compose.js';
import { createMcpServerInstance } from '../../server/mcp/create-mcp-server.js';
import { createTempHome, type TempHome } from '../helpers/temp-home.js';
import { failure } from '../helpers/failure.js';

describe('memory and checkpoint tools called by the agent for a task', () => {
  let temp: TempHome;
  let runtime: Runtime;
  let agent: AzClient;
  let own: string;
  let other: string;
  let taskId: string;

  beforeAll(async () => {
    temp = createTempHome();
    runtime = await composeRuntime({ env: temp.env }, 'in-process');
    own = mkdtempSync(join(tmpdir(), 'az-own-'));
    other = mkdtempSync(join(tmpdir(), 'az-other-'));
    writeFileSync(join(own, 'a.txt'), 'mine\n');
    const task = runtime.core.tasks.create({ prompt: 'work', workspace: own }, 'test');
    taskId = task.id;
    const server = createMcpServerInstance(runtime.core, runtime.registry, {
      principal: { name: 'agent', role: 'operator', via: 'in-process' },
      profile: 'all',
      liveUpdates: 'none',
      scope: { taskId: task.id, workspace: own },
    });
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await server.connect(serverTransport);
    const sdk = new Client({ name: 'agent', version: '0' });
    await sdk.connect(clientTransport);
    agent = new AzClient(sdk);
  });
  afterAll(async () => {
    await agent.close();
    await runtime.close();
    for (const dir of [own, other]) rmSync(dir, { recursive: true, force: true });
    temp.cleanup();
  });

  it('works on its own workspace without naming it', async () => {
    const result = await agent.call(createCheckpointTool, { message: 'before refactor' });
    expect(result.workspace).toBe(own);
    expect(result.checkpoint?.task_id).not.toBeNull();
  });

  it('checkpoints a task workspace AZ-OS made under AZ_HOME/workspaces', async () => {
    const task = runtime.core.tasks.create({ prompt: 'no workspace given' }, 'test');
    writeFileSync(join(task.workspace, 'made.txt'), 'by the agent\n');
    const hooks = runtime.core.taskHooks.find(hook => hook.name === 'checkpoints');
    await hooks?.afterStep?.(task, { index: 1, toolCalls: ['write_file'], mayHaveChangedFiles: true });
    const server = createMcpServerInstance(runtime.core, runtime.registry, {
      principal: { name: 'admin', role: 'admin', via: 'in-process' },
      profile: 'all',
      liveUpdates: 'none',
    });
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await server.connect(serverTransport);
    const sdk = new Client({ name: 'admin', version: '0' });
    await sdk.connect(clientTransport);
    const admin = new AzClient(sdk);
    const listed = await admin.call(listCheckpointsTool, { task_id: task.id });
    expect(listed.checkpoints[0]).toMatchObject({ reason: 'step', step: 1, task_id: task.id });
    await admin.close();
  });

  it("marks the agent's memories with its task", async () => {
    const added = await agent.call(addMemoryTool, { text: 'The build needs Node 20 or newer.' });
    const found = await agent.call(searchMemoryTool, {
      query: 'which Node version',
      where: { az_source: 'agent' },
    });
    expect(found.results[0]).toMatchObject({ id: added.ids[0], metadata: { az_task_id: taskId } });
  });

  it('may not reach another workspace or another task', async () => {
    const byPath = await failure(agent.call(listCheckpointsTool, { workspace: other }));
    expect(byPath.code).toBe('PERMISSION_DENIED');
    const otherTask = runtime.core.tasks.create({ prompt: 'other', workspace: other }, 'test');
    const byTask = await failure(agent.call(createCheckpointTool, { task_id: otherTask.id }));
    expect(byTask.code).toBe('PERMISSION_DENIED');
  });
});
