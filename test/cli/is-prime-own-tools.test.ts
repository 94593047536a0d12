/**
 * The seed's headline command, `az task run "create function isPrime"`, as a user runs it: the built `az`
 * in the workspace directory, no server running, the model (the scripted LLM server) using AZ-OS's own file
 * tools through MCP, and every cent accounted for.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadScenarios } from '../fixtures/scripted-llm/scenario.js';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../fixtures/scripted-llm/server.js';
import { createAgentHome, SCENARIOS_DIR } from '../helpers/agent-home.js';
import { runAz } from '../helpers/processes.js';
import type { TempHome } from '../helpers/temp-home.js';

describe('az task run "create function isPrime" with AZ-OS\'s own tools', () => {
  let llm: ScriptedLlmServer | undefined;
  let temp: TempHome | undefined;

  afterEach(async () => {
    await llm?.close();
    temp?.cleanup();
  });

  it('writes the file in the current directory, completes, and costs exactly the priced usage', async () => {
    llm = await startScriptedLlmServer({
      scenarios: loadScenarios([join(SCENARIOS_DIR, 'is-prime-own-tools.json')]),
    });
    temp = createAgentHome({ llmUrl: llm.url, filesystem: false });
    const workspace = join(temp.home, 'project');
    mkdirSync(workspace);

    const run = await runAz(['task', 'run', 'create function isPrime'], { env: temp.env, cwd: workspace });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe(
      'Created isPrime.ts: isPrime(n) returns true for primes, false otherwise.',
    );
    expect(run.stderr).toMatch(/azos__write_file ok/);
    expect(run.stderr).toMatch(/COMPLETED after 3 steps, cost \$0\.000541/);

    const source = readFileSync(join(workspace, 'isPrime.ts'), 'utf8');
    expect(source).toContain('export function isPrime(n: number): boolean');
    // The model saw AZ-OS's own tools (namespaced) and not its task-management tools.
    expect(llm.requests[0]?.toolNames).toEqual(
      expect.arrayContaining(['azos__write_file', 'azos__read_file']),
    );
    expect(llm.requests[0]?.toolNames.some(name => /create_task|set_config|create_token/.test(name))).toBe(
      false,
    );
    expect(llm.requests[2]?.lastToolResult).toContain('export function isPrime');

    const tasks = JSON.parse((await runAz(['task', 'list', '--json'], { env: temp.env })).stdout);
    expect(tasks.tasks).toEqual([
      expect.objectContaining({ status: 'COMPLETED', steps: 3, cost_micro_usd: 541 }),
    ]);
    const task = JSON.parse(
      (await runAz(['task', 'show', tasks.tasks[0].id, '--json'], { env: temp.env })).stdout,
    ).task;
    expect(task.workspace).toBe(workspace);
    // The audit log holds the write with its target path, and its chain verifies.
    const audit = await runAz(['audit', 'show', '--json'], { env: temp.env });
    expect(audit.stdout).toContain('write_file');
    expect(audit.stdout).toContain('isPrime.ts');
    expect((await runAz(['audit', 'verify'], { env: temp.env })).code).toBe(0);
    // Nothing was written outside the workspace.
    expect(existsSync(join(temp.home, 'isPrime.ts'))).toBe(false);
  });
});
