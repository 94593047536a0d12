/**
 * Retention × the agent: the step_journals and tool_outputs policies prune the journal of tasks that can never
 * run again, never the journal a task may still continue from, and never the cost ledger. Real tasks run on
 * the scripted LLM server and the reference filesystem MCP server.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resumeTaskTool, runTaskTool } from '../../../protocol/tools/agent-tools.js';
import { costSummaryTool, getBudgetTool, setBudgetTool } from '../../../protocol/tools/cost-tools.js';
import { pruneDataTool } from '../../../protocol/tools/data-tools.js';
import { setConfigTool } from '../../../protocol/tools/system-tools.js';
import {
  createTaskTool,
  getTaskTool,
  retryTaskTool,
  waitTaskTool,
} from '../../../protocol/tools/task-tools.js';
import type { Scenario } from '../../fixtures/scripted-llm/scenario.js';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../../fixtures/scripted-llm/server.js';
import { createAgentHome } from '../../helpers/agent-home.js';
import { openAgentRuntime, type AgentRuntimeHandle } from '../../helpers/agent-runtime.js';
import { runAz } from '../../helpers/processes.js';
import type { TempHome } from '../../helpers/temp-home.js';

const DAY = 86_400_000;
const BIG = `${'0123456789abcdef'.repeat(400)}\n`;
const usage = { prompt_tokens: 1000, completion_tokens: 100 };
// gpt-4o-mini: 1000 × 0.15 + 100 × 0.6 = 210 micro-dollars per call.
const CALL_COST = 210;

const SCENARIOS: Scenario[] = [
  {
    name: 'done',
    match: 'finished job',
    turns: [
      { tool_calls: [{ name: 'fs__write_file', arguments: { path: 'big.txt', content: BIG } }], usage },
      { tool_calls: [{ name: 'fs__read_text_file', arguments: { path: 'big.txt' } }], usage },
      { content: 'done', usage },
    ],
  },
  {
    // Fails at its second model call (every attempt of the first run gets a 500): FAILED, resumable.
    name: 'failing',
    match: 'failing job',
    turns: [
      { tool_calls: [{ name: 'fs__write_file', arguments: { path: 'f.txt', content: BIG } }], usage },
      { content: 'never', usage, faults: [{ type: '500', times: 3 }] },
    ],
  },
  { name: 'held', match: 'held job', turns: [{ content: 'late', usage, hold: true }] },
  {
    // Run 1 fails at turn 1; the manual retry (generation 2) gets past it and fails at turn 2; a resume of
    // generation 2 needs exactly one more model call and repeats no edit.
    name: 'generations',
    match: 'keep a log',
    turns: [
      {
        tool_calls: [{ name: 'fs__write_file', arguments: { path: 'log.txt', content: 'start\n// end\n' } }],
        usage,
      },
      {
        tool_calls: [
          {
            name: 'fs__edit_file',
            arguments: { path: 'log.txt', edits: [{ oldText: '// end', newText: 'edited\n// end' }] },
          },
        ],
        usage,
        faults: [{ type: '500', times: 3 }],
      },
      { content: 'the log is kept', usage, faults: [{ type: '500', times: 3 }] },
    ],
  },
];

let llm: ScriptedLlmServer | undefined;
let temp: TempHome | undefined;
let handle: AgentRuntimeHandle | undefined;

afterEach(async () => {
  llm?.releaseHolds();
  await handle?.close();
  await llm?.close();
  temp?.cleanup();
  handle = llm = temp = undefined;
});

async function open(): Promise<AgentRuntimeHandle> {
  llm = await startScriptedLlmServer({ scenarios: SCENARIOS });
  temp = createAgentHome({ llmUrl: llm.url, config: { tasks: { max_attempts: 1 } } });
  handle = await openAgentRuntime(temp.env, { runTasks: true });
  return handle;
}

async function run(prompt: string): Promise<string> {
  const client = (handle as AgentRuntimeHandle).client;
  const { task } = await client.call(
    runTaskTool,
    { prompt, max_attempts: 1, timeout_seconds: 60 },
    { timeoutMs: 70_000 },
  );
  return task.id;
}

interface JournalRow {
  seq: number;
  task_id: string;
  generation: number;
  kind: string;
  outcome: string | null;
}

function journal(taskId: string): JournalRow[] {
  return handle?.runtime.core.db
    .prepare(
      'SELECT seq, task_id, generation, kind, outcome FROM agent_journal WHERE task_id = ? ORDER BY seq',
    )
    .all(taskId) as JournalRow[];
}

/** Moves every journal row, event and task `days` into the past. */
function ageEverything(days: number): void {
  const db = handle?.runtime.core.db;
  const then = Date.now() - days * DAY;
  db?.prepare('UPDATE agent_journal SET started_at = ?, finished_at = ?').run(then, then);
  db?.prepare('UPDATE task_events SET created_at = ?').run(then);
  db?.prepare(
    'UPDATE tasks SET created_at = ?, updated_at = ?, finished_at = CASE WHEN finished_at IS NULL THEN NULL ELSE ? END',
  ).run(then, then, then);
}

describe('retention of the agent journal', () => {
  it('clears tool outputs and deletes journals of settled tasks only, never one a task may continue from', async () => {
    const { client } = await open();
    const done = await run('finished job');
    const failed = await run('failing job');
    expect((await client.call(getTaskTool, { task_id: done })).task.status).toBe('COMPLETED');
    expect((await client.call(getTaskTool, { task_id: failed })).task.status).toBe('FAILED');
    const held = (await client.call(createTaskTool, { prompt: 'held job', max_attempts: 1 })).task.id;
    await (llm as ScriptedLlmServer).waitForRequest(request => request.held);
    expect((await client.call(getTaskTool, { task_id: held })).task.status).toBe('RUNNING');
    ageEverything(400);
    const before = { failed: journal(failed), held: journal(held) };
    expect(before.failed.length).toBeGreaterThan(0);
    expect(before.held.length).toBeGreaterThan(0);

    await client.call(setConfigTool, { key: 'retention.tool_outputs.max_age_days', value: 30 });
    const outputs = await client.call(pruneDataTool, { targets: ['tool_outputs'] });
    // The finished job's two tool results (the write's confirmation, the 6.4 KB read).
    expect(outputs.results[0]).toMatchObject({ target: 'tool_outputs', status: 'pruned', deleted: 2 });
    const cleared = journal(done).filter(row => row.kind === 'tool');
    expect(cleared).toHaveLength(2);
    for (const row of cleared) {
      const outcome = JSON.parse(row.outcome as string) as { text: string; pruned: { bytes: number } };
      expect(outcome.text).toMatch(
        /^\[output removed by retention \(retention\.tool_outputs\); it was \d+ bytes\]$/,
      );
      expect(outcome.pruned.bytes).toBeGreaterThan(0);
    }
    expect(Math.max(...cleared.map(row => JSON.parse(row.outcome as string).pruned.bytes))).toBeGreaterThan(
      BIG.length - 1,
    );
    // Nothing of what the failed and the running task may continue from changed.
    expect(journal(failed)).toEqual(before.failed);
    expect(journal(held)).toEqual(before.held);
    expect((await client.call(pruneDataTool, { targets: ['tool_outputs'] })).deleted).toBe(0);

    await client.call(setConfigTool, { key: 'retention.step_journals.max_age_days', value: 30 });
    const dry = await client.call(pruneDataTool, { targets: ['step_journals'], dry_run: true });
    expect(dry.results[0]).toMatchObject({ status: 'dry_run', matched: journal(done).length, deleted: 0 });
    const steps = await client.call(pruneDataTool, { targets: ['step_journals'] });
    expect(steps.results[0]).toMatchObject({ status: 'pruned', deleted: dry.results[0]?.matched });
    expect(journal(done)).toEqual([]);
    expect(journal(failed)).toEqual(before.failed);
    expect(journal(held)).toEqual(before.held);

    // The running task still finishes from its journal.
    llm?.releaseHolds();
    const settled = await client.call(waitTaskTool, { task_id: held, timeout_seconds: 30 });
    expect(settled.task).toMatchObject({ status: 'COMPLETED', result: 'late' });
  });

  it('resumes a FAILED task from the generation its journal holds after its events were pruned', async () => {
    const { client } = await open();
    const id = await run('keep a log');
    expect((await client.call(getTaskTool, { task_id: id })).task.status).toBe('FAILED');
    await client.call(retryTaskTool, { task_id: id });
    const retried = await client.call(
      waitTaskTool,
      { task_id: id, timeout_seconds: 60 },
      { timeoutMs: 70_000 },
    );
    expect(retried.task.status).toBe('FAILED');
    expect(new Set(journal(id).map(row => row.generation))).toEqual(new Set([1, 2]));
    const workspace = retried.task.workspace;
    expect(readFileSync(join(workspace, 'log.txt'), 'utf8')).toBe('start\nedited\n// end\n');

    ageEverything(400);
    await client.call(setConfigTool, { key: 'retention.task_events.max_age_days', value: 30 });
    await client.call(setConfigTool, { key: 'retention.step_journals.max_age_days', value: 30 });
    const pruned = await client.call(pruneDataTool, { targets: ['task_events', 'step_journals'] });
    expect(pruned.results.map(result => result.status)).toEqual(['pruned', 'pruned']);
    // Its events are gone; of its journal only generation 1, which a retry superseded.
    expect(
      handle?.runtime.core.db.prepare('SELECT count(*) FROM task_events WHERE task_id = ?').pluck().get(id),
    ).toBe(0);
    expect(new Set(journal(id).map(row => row.generation))).toEqual(new Set([2]));

    const requestsBefore = llm?.requests.length ?? 0;
    await client.call(resumeTaskTool, { task_id: id });
    const resumed = await client.call(
      waitTaskTool,
      { task_id: id, timeout_seconds: 60 },
      { timeoutMs: 70_000 },
    );
    expect(resumed.task).toMatchObject({ status: 'COMPLETED', result: 'the log is kept' });
    // One model call (the last turn of generation 2); the edit was not made again.
    expect(llm?.requests.slice(requestsBefore).map(request => request.turn)).toEqual([2]);
    expect(readFileSync(join(workspace, 'log.txt'), 'utf8')).toBe('start\nedited\n// end\n');
  });

  it('keeps the cost ledger when old tasks are pruned: totals, budgets and az cost show do not shrink', async () => {
    const { client } = await open();
    const done = await run('finished job');
    await run('finished job');
    await client.call(setBudgetTool, { scope: 'total', limit_usd: 10 });
    const summaryBefore = await client.call(costSummaryTool, { group_by: 'model' });
    expect(summaryBefore.total).toMatchObject({ calls: 6, cost_micro_usd: 6 * CALL_COST });
    const budgetBefore = await client.call(getBudgetTool, {});

    ageEverything(400);
    for (const name of ['finished_tasks', 'task_events', 'step_journals', 'tool_outputs']) {
      await client.call(setConfigTool, { key: `retention.${name}.max_age_days`, value: 30 });
    }
    const pruned = await client.call(pruneDataTool, {});
    expect(pruned.results.find(result => result.target === 'finished_tasks')).toMatchObject({ deleted: 2 });
    await expect(client.call(getTaskTool, { task_id: done })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(journal(done)).toEqual([]);

    const summaryAfter = await client.call(costSummaryTool, { group_by: 'model' });
    expect(summaryAfter.total).toEqual(summaryBefore.total);
    expect(summaryAfter.groups).toEqual(summaryBefore.groups);
    expect(await client.call(getBudgetTool, {})).toEqual(budgetBefore);
    const byTask = await client.call(costSummaryTool, { group_by: 'task' });
    expect(byTask.total).toEqual(summaryBefore.total);

    const shown = await runAz(['cost', 'show', '--json'], { env: (temp as TempHome).env });
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      total: { calls: 6, cost_micro_usd: 6 * CALL_COST },
    });
  });
});
