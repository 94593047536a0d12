import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AzClient } from '../../../protocol/client.js';
import { setConfigTool } from '../../../protocol/tools/system-tools.js';
import type { Task } from '../../../protocol/task.js';
import { listProcessesTool } from '../../../server/agent-tools/tools/list-processes.js';
import { readFileTool } from '../../../server/agent-tools/tools/read-file.js';
import { runShellCommandTool } from '../../../server/agent-tools/tools/run-shell-command.js';
import { writeFileTool } from '../../../server/agent-tools/tools/write-file.js';
import { killProcessTool } from '../../../server/agent-tools/tools/kill-process.js';
import { composeRuntime, type Runtime } from '../../../server/compose.js';
import { createMcpServerInstance } from '../../../server/mcp/create-mcp-server.js';
import type { Principal } from '../../../server/mcp/principal.js';
import { survivorsOf } from '../../helpers/process-scan.js';
import { createWorkspaceHome, type WorkspaceHome } from '../../helpers/workspace.js';

/** The agent's view: an in-process MCP connection scoped to one task, as the executor opens it. */
async function connectScoped(runtime: Runtime, task: Task, principal: Principal): Promise<AzClient> {
  const server = createMcpServerInstance(runtime.core, runtime.registry, {
    principal,
    profile: 'all',
    liveUpdates: 'none',
    scope: { taskId: task.id, workspace: task.workspace },
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const sdk = new Client({ name: 'az-test-agent', version: '0.0.0' });
  await sdk.connect(clientSide);
  return new AzClient(sdk, () => server.close());
}

describe('the agent working on a task (scoped connection)', () => {
  let home: WorkspaceHome;
  let runtime: Runtime;
  let task: Task;
  let agent: AzClient;
  const agentPrincipal: Principal = { name: 'agent', role: 'operator', via: 'in-process' };

  beforeAll(async () => {
    home = createWorkspaceHome();
    runtime = await composeRuntime({ env: home.env }, 'in-process');
    const taskWorkspace = join(home.base, 'project');
    mkdirSync(taskWorkspace);
    writeFileSync(join(taskWorkspace, 'main.py'), 'print(1)\n');
    writeFileSync(join(home.workspace, 'other-client.txt'), 'not for the agent\n');
    task = runtime.core.tasks.create({ prompt: 'work', workspace: taskWorkspace }, 'test');
    agent = await connectScoped(runtime, task, agentPrincipal);
  });

  afterAll(async () => {
    await agent?.close();
    await runtime?.close();
    home?.cleanup();
  });

  it("is confined to its task's workspace, whatever the configured roots", async () => {
    expect((await agent.call(readFileTool, { path: 'main.py' })).content).toBe('print(1)\n');
    await expect(
      agent.call(readFileTool, { path: join(home.workspace, 'other-client.txt') }),
    ).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
      message: expect.stringContaining('outside the workspace'),
    });
    const shell = await agent.call(runShellCommandTool, { command: 'pwd' });
    expect(shell.stdout.trim()).toBe(task.workspace);
  });

  it('cannot change configuration, tokens or permissions: admin tools are neither listed nor callable', async () => {
    const names = (await agent.sdk.listTools()).tools.map(tool => tool.name);
    expect(names).toContain('write_file');
    expect(names).not.toContain('set_config');
    expect(names).not.toContain('create_token');
    // Even with an admin principal, a task-scoped call is refused.
    const adminAgent = await connectScoped(runtime, task, {
      name: 'agent-admin',
      role: 'admin',
      via: 'in-process',
    });
    try {
      await expect(
        adminAgent.call(setConfigTool, { key: 'security.tools.delete_file', value: 'allow' }),
      ).rejects.toMatchObject({
        code: 'PERMISSION_DENIED',
        message: expect.stringContaining('tasks cannot change configuration, tokens or permissions'),
      });
    } finally {
      await adminAgent.close();
    }
  });

  it('a file that looks like a policy changes nothing', async () => {
    await agent.call(writeFileTool, {
      path: 'policy.json',
      content: JSON.stringify({ security: { paths: [{ pattern: '**', action: 'allow' }] } }),
    });
    writeFileSync(join(task.workspace, '.env'), 'KEY=1\n');
    await expect(agent.call(readFileTool, { path: '.env' })).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
    });
  });

  it('its background processes are its own, and end when the task settles', async () => {
    const started = await agent.call(runShellCommandTool, { command: 'sleep 963', background: true });
    const other = await composeRuntimeClient(runtime);
    try {
      // Another (non-admin) caller neither sees nor kills the task's processes.
      const otherOperator = await connectScoped(runtime, { ...task, id: 'tsk_other' }, agentPrincipal);
      expect((await otherOperator.call(listProcessesTool, {})).processes).toEqual([]);
      await expect(
        otherOperator.call(killProcessTool, { process_id: started.process_id as string }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await otherOperator.close();
      // An admin outside the task sees every process.
      expect(
        (await other.call(listProcessesTool, {})).processes.map(process => process.process_id),
      ).toContain(started.process_id);
      expect((await agent.call(listProcessesTool, {})).processes.map(process => process.process_id)).toEqual([
        started.process_id,
      ]);
      // What the executor does when the task settles:
      const hooks = runtime.core.taskHooks.find(hook => hook.name === 'processes');
      await hooks?.onSettled?.(task);
      expect(await survivorsOf('sleep 963')).toEqual([]);
      const [after] = (await agent.call(listProcessesTool, {})).processes;
      expect(after).toMatchObject({ status: 'killed' });
    } finally {
      await other.close();
    }
  });

  it('no process outlives the server', async () => {
    const separate = await composeRuntime({ env: home.env }, 'in-process');
    const client = await connectScoped(separate, task, agentPrincipal);
    await client.call(runShellCommandTool, { command: 'sleep 962', background: true });
    await client.close();
    await separate.close();
    expect(await survivorsOf('sleep 962')).toEqual([]);
  });
});

/** An unscoped admin connection (an outside client) on the same runtime. */
async function composeRuntimeClient(runtime: Runtime): Promise<AzClient> {
  const server = createMcpServerInstance(runtime.core, runtime.registry, {
    principal: { name: 'local:test', role: 'admin', via: 'in-process' },
    profile: 'all',
    liveUpdates: 'none',
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const sdk = new Client({ name: 'az-test-outside', version: '0.0.0' });
  await sdk.connect(clientSide);
  return new AzClient(sdk, () => server.close());
}
