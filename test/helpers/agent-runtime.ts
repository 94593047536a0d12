/**
 * An AZ-OS runtime in this process with extra services (test tools), reached by a real MCP client over the
 * in-memory transport. `runTasks` makes it run the queue like a daemon; without it, run_task runs the task in
 * the foreground like a CLI without a server.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { AzClient } from '../../protocol/client.js';
import { AppError } from '../../protocol/errors.js';
import { READ_ONLY, defineTool } from '../../protocol/tool-contract.js';
import { composeRuntime, type Runtime } from '../../server/compose.js';
import { createMcpServerInstance } from '../../server/mcp/create-mcp-server.js';
import { implementTool, type ToolDefinition } from '../../server/mcp/tool-definition.js';
import { SERVICES, type Service } from '../../server/services.js';

const sleepTool = defineTool({
  name: 'test_sleep',
  title: 'Sleep',
  description: 'Waits the given milliseconds (test tool).',
  input: () => z.strictObject({ ms: z.number().int().min(0) }),
  output: () => z.object({ slept_ms: z.number() }),
  annotations: READ_ONLY,
  profile: 'all',
  access: 'read',
});

const scopeTool = defineTool({
  name: 'test_scope',
  title: 'Scope',
  description: 'Returns the task scope this call runs in (test tool).',
  input: () => z.strictObject({}),
  output: () =>
    z.object({
      task_id: z.string().nullable(),
      workspace: z.string().nullable(),
      principal: z.string(),
    }),
  annotations: READ_ONLY,
  profile: 'all',
  access: 'read',
});

/** Test tools served by AZ-OS itself, as the agent's own (in-process) tools. */
export const testToolsService: Service = ({ addTools }) => {
  addTools([
    implementTool(sleepTool, async (args, { signal }) => {
      const started = Date.now();
      await sleep(args.ms, undefined, { signal }).catch(() => {
        throw new AppError('CANCELLED', 'the sleep was cancelled');
      });
      return { slept_ms: Date.now() - started };
    }),
    implementTool(scopeTool, (_args, { scope, principal }) => ({
      task_id: scope?.taskId ?? null,
      workspace: scope?.workspace ?? null,
      principal: principal.name,
    })),
  ] as unknown as ToolDefinition[]);
};

export interface AgentRuntimeHandle {
  client: AzClient;
  runtime: Runtime;
  close(): Promise<void>;
}

export async function openAgentRuntime(
  env: Record<string, string | undefined>,
  options: { runTasks?: boolean; services?: readonly Service[] } = {},
): Promise<AgentRuntimeHandle> {
  const runTasks = options.runTasks ?? false;
  const runtime = await composeRuntime({ env }, runTasks ? 'daemon' : 'in-process', { runTasks }, [
    ...SERVICES,
    testToolsService,
    ...(options.services ?? []),
  ]);
  const server = createMcpServerInstance(runtime.core, runtime.registry, {
    principal: { name: 'test', role: 'admin', via: 'in-process' },
    profile: 'all',
    liveUpdates: 'none',
  });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  const sdk = new Client({ name: 'az-test', version: '0.0.0' });
  await sdk.connect(clientTransport);
  await runtime.start();
  const client = new AzClient(sdk);
  return {
    client,
    runtime,
    async close() {
      await client.close();
      await server.close().catch(() => undefined);
      await runtime.close();
    },
  };
}
