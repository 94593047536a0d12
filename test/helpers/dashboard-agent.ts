/**
 * A dashboard test server whose agent runs tasks for real: the scripted LLM server (a real OpenAI-compatible
 * HTTP server) answers the model calls, AZ-OS's own tools (azos__write_file…) do the work, and the cost ledger
 * prices every call. Plus an admin HTTP client with the full tool profile (set_budget, get_cost_summary…).
 */
import type { AzClient } from '../../protocol/client.js';
import type { Scenario, ScriptedUsage, Turn } from '../fixtures/scripted-llm/scenario.js';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../fixtures/scripted-llm/server.js';
import { createAgentHome } from './agent-home.js';
import { startTestServer, type TestServer } from './dashboard-server.js';
import { connectHttp } from './http-client.js';
import type { TempHome } from './temp-home.js';

export interface AgentServer {
  llm: ScriptedLlmServer;
  temp: TempHome;
  server: TestServer;
  /** Admin client over HTTP with every tool listed. */
  client: AzClient;
  close(): Promise<void>;
}

export async function startAgentServer(
  scenarios: Scenario[],
  config: Record<string, unknown> = {},
): Promise<AgentServer> {
  const llm = await startScriptedLlmServer({ scenarios });
  const temp = createAgentHome({ llmUrl: llm.url, filesystem: false, config });
  const server = await startTestServer(temp.env, { runTasks: true });
  const client = await connectHttp(server.url, server.adminToken, 'modern', { 'X-AZ-Tool-Profile': 'all' });
  return {
    llm,
    temp,
    server,
    client,
    async close() {
      await client.close();
      llm.releaseHolds();
      await server.close();
      await llm.close();
      temp.cleanup();
    },
  };
}

/** gpt-4o-mini's bundled prices, in micro-dollars per million tokens: input, cached input, output. */
const PRICES = { input: 0.15, cached: 0.075, output: 0.6 };

/** What the ledger must record for a call with this usage on gpt-4o-mini (the default route). */
export function miniCost(usage: ScriptedUsage): number {
  const cached = usage.cached_tokens ?? 0;
  return Math.round(
    (usage.prompt_tokens - cached) * PRICES.input +
      cached * PRICES.cached +
      usage.completion_tokens * PRICES.output,
  );
}

export const usage = (prompt: number, completion: number, cached?: number): ScriptedUsage => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  ...(cached === undefined ? {} : { cached_tokens: cached }),
});

/** The cost of a scenario's turns that reply (a turn's faults are not billed: no usage came back). */
export function scenarioCost(turns: readonly Turn[]): number {
  return turns.reduce((sum, turn) => sum + (turn.usage ? miniCost(turn.usage) : 0), 0);
}
