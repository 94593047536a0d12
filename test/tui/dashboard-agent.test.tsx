/**
 * The dashboard (ink-testing-library) while the real agent runs a task on the scripted LLM server: the step
 * log as the agent writes it — model turns with tokens, cost and latency, a retry, tool calls with their
 * arguments and results, a refused call — then the cost in the table and in the cost panel against a budget.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setBudgetTool } from '../../protocol/tools/cost-tools.js';
import { createTaskTool, getTaskTool } from '../../protocol/tools/task-tools.js';
import type { Scenario } from '../fixtures/scripted-llm/scenario.js';
import { scenarioCost, startAgentServer, usage, type AgentServer } from '../helpers/dashboard-agent.js';
import { KEYS, mountDashboard, type MountedDashboard } from '../helpers/dashboard-view.js';

// Turn costs on gpt-4o-mini: 1000×0.15 + 100×0.6 = 210; 1200×0.15 + 20×0.6 = 192; 200×0.15 + 1200×0.075 + 40×0.6 = 144.
const NOTES: Scenario = {
  name: 'notes',
  match: 'keep notes in notes.md',
  turns: [
    {
      content: 'I will write notes.md.',
      tool_calls: [{ name: 'azos__write_file', arguments: { path: 'notes.md', content: '# Notes\n' } }],
      usage: usage(1000, 100),
      faults: [{ type: '429', retry_after: 0 }],
    },
    { tool_calls: [{ name: 'azos__no_such_tool', arguments: {} }], usage: usage(1200, 20), hold: true },
    { content: 'Wrote notes.md.', usage: usage(1400, 40, 1200) },
  ],
};

describe('az dashboard while the agent runs a task (ink-testing-library, scripted LLM)', () => {
  let setup: AgentServer;
  let view: MountedDashboard | undefined;

  beforeEach(async () => {
    setup = await startAgentServer([NOTES]);
  });

  afterEach(async () => {
    await view?.unmount();
    view = undefined;
    await setup.close();
  });

  it('follows the live step log, then shows the cost in the table and the cost panel', async () => {
    const expected = scenarioCost(NOTES.turns);
    expect(expected).toBe(210 + 192 + 144);
    await setup.client.call(setBudgetTool, { scope: 'day', limit_usd: 1 });
    view = await mountDashboard(setup.server.runtime, { columns: 120, rows: 40 });
    const { task } = await setup.client.call(createTaskTool, { prompt: 'keep notes in notes.md' });
    await view.waitForFrame(/● RUNNING\s+\S+\s+keep notes in notes\.md/, 10_000);
    await view.press(KEYS.enter);

    // Live, while the second model call is held: step 1 complete, step 2 asking.
    await setup.llm.waitForRequest(request => request.held, 10_000);
    let frame = await view.waitForFrame(/ 2 model\s+asking gpt-4o-mini…/, 10_000);
    expect(frame).toContain('following');
    expect(frame).toMatch(/PENDING → RUNNING \(attempt 1\)/);
    expect(frame).toMatch(/ 1 model\s+asking gpt-4o-mini…/);
    expect(frame).toMatch(/ 1 retry\s+gpt-4o-mini failed \(.*429.*\); attempt 1 in \d+ ms/);
    expect(frame).toMatch(
      / 1 model\s+gpt-4o-mini → azos__write_file · 1,000 in \/ 100 out · \$0\.00021 · \d+ ms/,
    );
    expect(frame).toMatch(/ 1 tool\s+azos__write_file \{"path":"notes\.md","content":"# Notes\\n"\}/);
    expect(frame).toMatch(/ 1 result\s+azos__write_file ok: .* · \d+ ms/);

    // Released: the refused call goes back to the model, which answers; the task completes.
    setup.llm.releaseHolds();
    frame = await view.waitForFrame(/RUNNING → COMPLETED/, 10_000);
    expect(frame).toMatch(/ 2 model\s+gpt-4o-mini → azos__no_such_tool · 1,200 in \/ 20 out · \$0\.000192/);
    expect(frame).toMatch(
      / 2 result\s+azos__no_such_tool not run: Error: there is no tool named azos__no_such_tool/,
    );
    expect(frame).toMatch(
      / 3 model\s+gpt-4o-mini answered · 1,400 in \(1,200 cached\) \/ 40 out · \$0\.000144/,
    );
    expect(frame).toMatch(/✓ COMPLETED keep notes in notes\.md/);
    expect(frame).toMatch(/steps 3 · cost \$0\.000546/);
    expect(frame).toContain('result Wrote notes.md.');

    // The table row and the cost panel carry the same money as the server.
    const server = (await setup.client.call(getTaskTool, { task_id: task.id })).task;
    expect(server.cost_micro_usd).toBe(expected);
    await view.press(KEYS.escape);
    frame = await view.waitForFrame(/✓ COMPLETED\s+\S+\s+keep notes in notes\.md\s+-\s+3\s+\$0\.000546/);
    await view.press('2');
    frame = await view.waitForFrame(/total\s+\$0\.000546/, 10_000);
    expect(frame).toMatch(/today \(UTC\)\s+\$0\.000546 of \$1\.00\s+░+ 0%/);
    expect(frame).toMatch(/total\s+\$0\.000546 \(no budget set\)/);
    expect(frame).toContain('3 model calls · 3,600 in (1,200 cached) / 160 out tokens');
    expect(frame).toMatch(/gpt-4o-mini\s+\$0\.000546\s+3 calls/);
    expect(frame).toMatch(/By day [▁█]+ \d{4}-\d\d-\d\d…\d{4}-\d\d-\d\d · max \$0\.000546/);
  });
});
