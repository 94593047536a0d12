import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AzClient } from '../../../protocol/client.js';
import { runTaskTool } from '../../../protocol/tools/agent-tools.js';
import { costSummaryTool } from '../../../protocol/tools/cost-tools.js';
import { getTaskLogTool } from '../../../protocol/tools/task-tools.js';
import { loadScenarios } from '../../fixtures/scripted-llm/scenario.js';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../../fixtures/scripted-llm/server.js';
import { createAgentHome, SCENARIOS_DIR } from '../../helpers/agent-home.js';
import { connectInProcess } from '../../helpers/in-process.js';
import type { TempHome } from '../../helpers/temp-home.js';

describe('the isPrime task end to end', () => {
  let llm: ScriptedLlmServer;
  let temp: TempHome;
  let client: AzClient;

  beforeEach(async () => {
    llm = await startScriptedLlmServer({ scenarios: loadScenarios([join(SCENARIOS_DIR, 'is-prime.json')]) });
    temp = createAgentHome({ llmUrl: llm.url });
    client = await connectInProcess(temp.env);
  });

  afterEach(async () => {
    await client.close();
    await llm.close();
    temp.cleanup();
  });

  it('writes the file through the filesystem MCP server, completes, and costs exactly the priced usage', async () => {
    const progress: string[] = [];
    const { task, done } = await client.call(
      runTaskTool,
      { prompt: 'create function isPrime in TypeScript', timeout_seconds: 60 },
      { onProgress: update => progress.push(update.message ?? ''), timeoutMs: 70_000 },
    );
    expect(done).toBe(true);
    expect(task.status).toBe('COMPLETED');
    expect(task.result).toContain('Created isPrime.ts');
    const source = readFileSync(join(task.workspace, 'isPrime.ts'), 'utf8');
    expect(source).toContain('export function isPrime(n: number): boolean');
    // gpt-4o-mini: $0.15 in, $0.075 cached in, $0.60 out per million tokens.
    // 1200×0.15 + 80×0.6 = 228; 376×0.15 + 1024×0.075 + 20×0.6 = 145.2 → 145; 320×0.15 + 1280×0.075 + 40×0.6 = 168.
    expect(task.cost_micro_usd).toBe(228 + 145 + 168);
    expect(task.unknown_cost_calls).toBe(0);
    expect(task.steps).toBe(3);
    const summary = await client.call(costSummaryTool, { group_by: 'task' });
    expect(summary.groups).toEqual([
      expect.objectContaining({
        key: task.id,
        calls: 3,
        cost_micro_usd: 541,
        input_tokens: 4200,
        cached_input_tokens: 2304,
        output_tokens: 140,
      }),
    ]);
    // The agent observed the tool results, and the filesystem server saw the task workspace as its root.
    expect(llm.requests[1]?.lastToolResult).toMatch(/Successfully wrote to .*isPrime\.ts/);
    expect(llm.requests[2]?.lastToolResult).toContain('export function isPrime');
    expect(llm.requests[0]?.toolNames).toContain('fs__write_file');
    expect(llm.requests[0]?.toolNames.some(name => name.includes('create_task'))).toBe(false);
    expect(progress.some(line => line.includes('fs__write_file'))).toBe(true);
    const log = await client.call(getTaskLogTool, { task_id: task.id });
    expect(log.events.map(event => event.type)).toEqual(
      expect.arrayContaining(['llm.started', 'llm.reply', 'tool.started', 'tool.result']),
    );
  });
});
