/**
 * A real AZ-OS server for dashboard tests: the normal services plus a test service that adds a viewer token
 * and, when asked, tools that arrive with later issues (cost, budget, resume) in plausible shapes, so the
 * dashboard's "lights up when they land" path is exercised against real MCP tools. `minimal` serves only the
 * task and system tools, like a server from before memory and checkpoints.
 */
import { randomBytes } from 'node:crypto';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import * as z from 'zod';
import { READ_ONLY, defineTool } from '../../protocol/tool-contract.js';
import { TaskSchema } from '../../protocol/task.js';
import { composeRuntime, type Runtime } from '../../server/compose.js';
import { secretsEqual } from '../../server/http/auth.js';
import { startDaemon } from '../../server/http/daemon.js';
import { createMcpServerInstance } from '../../server/mcp/create-mcp-server.js';
import type { Principal } from '../../server/mcp/principal.js';
import { implementTool, type ToolDefinition } from '../../server/mcp/tool-definition.js';
import { SYSTEM_TOOLS } from '../../server/mcp/tools/index.js';
import { agentService } from '../../server/agent/agent-service.js';
import { SERVICES, type Service } from '../../server/services.js';
import { wrapClient, type ConnectionEvents, type DashboardConnection } from '../../tui/data/connection.js';

export interface TestServer {
  url: string;
  adminToken: string;
  viewerToken: string;
  runtime: Runtime;
  /** Task ids resume_task was called with (when the optional tools are on). */
  resumed: string[];
  close(): Promise<void>;
}

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Tools in the shapes the agent and checkpoint issues are expected to use. */
function optionalTools(resumed: string[]): ToolDefinition[] {
  const money = z.number().int();
  const costSummary = defineTool({
    name: 'get_cost_summary',
    title: 'Get cost summary',
    description: 'Test fixture: spend today and in total, grouped by model or day.',
    input: z.strictObject({ group_by: z.enum(['model', 'day', 'task']).optional() }),
    output: z.object({
      total_micro_usd: money,
      today_micro_usd: money,
      by_model: z
        .array(z.object({ model: z.string(), cost_micro_usd: money, calls: z.number().int() }))
        .optional(),
      by_day: z.array(z.object({ day: z.string(), cost_micro_usd: money })).optional(),
    }),
    annotations: READ_ONLY,
    profile: 'full',
    access: 'read',
  });
  const budget = defineTool({
    name: 'get_budget',
    title: 'Get budget',
    description: 'Test fixture: the configured budgets.',
    input: z.strictObject({}),
    output: z.object({
      budgets: z.object({ daily_micro_usd: money, total_micro_usd: money, per_task_micro_usd: money }),
    }),
    annotations: READ_ONLY,
    profile: 'full',
    access: 'read',
  });
  const resume = defineTool({
    name: 'resume_task',
    title: 'Resume task',
    description: 'Test fixture: records the call and returns the task.',
    input: z.strictObject({ task_id: z.string() }),
    output: z.object({ task: TaskSchema }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    profile: 'full',
    access: 'write',
  });
  return [
    implementTool(costSummary, ({ group_by }) => {
      const now = Date.now();
      return {
        total_micro_usd: 12_340_000,
        today_micro_usd: 1_500_000,
        ...(group_by === 'model'
          ? {
              by_model: [
                { model: 'gpt-4o', cost_micro_usd: 9_000_000, calls: 120 },
                { model: 'gpt-4o-mini', cost_micro_usd: 3_340_000, calls: 800 },
              ],
            }
          : {}),
        ...(group_by === 'day'
          ? {
              by_day: [3, 2, 1, 0].map(ago => ({
                day: isoDay(now - ago * DAY),
                cost_micro_usd: (4 - ago) * 500_000,
              })),
            }
          : {}),
      };
    }),
    implementTool(budget, () => ({
      budgets: { daily_micro_usd: 2_000_000, total_micro_usd: 50_000_000, per_task_micro_usd: 500_000 },
    })),
    implementTool(resume, ({ task_id }, { core }) => {
      resumed.push(task_id);
      return { task: core.taskStore.get(task_id) };
    }),
  ];
}

export async function startTestServer(
  env: Record<string, string | undefined>,
  options: { optionalTools?: boolean; minimal?: boolean; agent?: boolean } = {},
): Promise<TestServer> {
  const viewerToken = randomBytes(16).toString('hex');
  const resumed: string[] = [];
  const testService: Service = context => {
    context.addTokenResolver(token =>
      secretsEqual(token, viewerToken) ? { name: 'viewer-test', role: 'viewer', via: 'http' } : undefined,
    );
    if (options.optionalTools) context.addTools(optionalTools(resumed));
  };
  // The agent's real cost, budget and resume tools are left out unless asked: these tests are about the
  // dashboard's own handling, and the optional-tool stand-ins above take their place.
  const normal = options.agent ? SERVICES : SERVICES.filter(service => service !== agentService);
  const base: readonly Service[] = options.minimal ? [({ addTools }) => addTools(SYSTEM_TOOLS)] : normal;
  const runtime = await composeRuntime({ env }, 'daemon', { runTasks: false }, [...base, testService]);
  const daemon = await startDaemon(
    runtime.core,
    runtime.registry,
    { port: 0, allowRemote: false, allowedHosts: [] },
    runtime.tokenResolvers,
  );
  return {
    url: daemon.info.url,
    adminToken: runtime.core.adminToken(),
    viewerToken,
    runtime,
    resumed,
    async close() {
      await daemon.close();
      await runtime.close();
    },
  };
}

/** A 2025-era connection over the in-memory transport to the same runtime, as `principal`. */
export async function inProcessConnection(
  runtime: Runtime,
  events: ConnectionEvents,
  principal: Principal = { name: 'local:test', role: 'admin', via: 'in-process' },
): Promise<DashboardConnection> {
  const server = createMcpServerInstance(runtime.core, runtime.registry, {
    principal,
    profile: 'all',
    liveUpdates: 'subscribed',
  });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  const sdk = new Client({ name: 'az-dashboard-test', version: '0.0.0' });
  await sdk.connect(clientTransport);
  return wrapClient(sdk, events, { onClose: () => server.close() });
}

/** Polls until `check` returns a value (not undefined/false) or the time is up. */
export async function waitFor<T>(
  check: () => T | undefined | false,
  timeoutMs = 5000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}
