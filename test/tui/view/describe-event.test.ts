/**
 * The step log's lines for each kind of event the agent writes (shapes as server/agent/ writes them; the
 * dashboard tests with a running agent check the same against real runs), and the generic line for others.
 */
import { describe, expect, it } from 'vitest';
import type { TaskEvent } from '../../../protocol/task.js';
import { describeEvent, eventDetails, eventTimings } from '../../../tui/view/describe-event.js';

let seq = 0;
const event = (
  type: string,
  data: Record<string, unknown> | null,
  patch: Partial<TaskEvent> = {},
): TaskEvent => ({
  seq: (seq += 1),
  task_id: 't',
  type,
  from_status: null,
  to_status: null,
  data,
  created_at: '2026-01-01T00:00:00.000Z',
  ...patch,
});
const at = (ms: number) => ({ created_at: new Date(Date.UTC(2026, 0, 1) + ms).toISOString() });

describe('describeEvent', () => {
  it('shows status changes with the attempt, reason, who acted and the error', () => {
    expect(
      describeEvent(
        event(
          'status',
          { owner: 'vm:1:a', attempt: 2, generation: 1, unfinished_call: 'stop' },
          { from_status: 'RETRYING', to_status: 'RUNNING' },
        ),
      ),
    ).toEqual({
      label: 'status',
      colour: undefined,
      step: undefined,
      summary: 'RETRYING → RUNNING (attempt 2)',
    });
    expect(
      describeEvent(
        event(
          'status',
          { reason: 'cancelled from the dashboard', by: 'local:root' },
          { from_status: 'RUNNING', to_status: 'CANCELLED' },
        ),
      ).summary,
    ).toBe('RUNNING → CANCELLED (cancelled from the dashboard, by local:root)');
    expect(
      describeEvent(
        event(
          'status',
          { by: 'local:root', resume: true, unfinished_call: 'assume_done' },
          { from_status: 'FAILED', to_status: 'RETRYING' },
        ),
      ).summary,
    ).toBe('FAILED → RETRYING (resume from the journal, unfinished call: assume_done, by local:root)');
    expect(
      describeEvent(
        event(
          'status',
          {
            auto: true,
            resume: true,
            error: { code: 'LLM_ERROR', message: 'overloaded' },
            retry_in_ms: 1500,
          },
          { from_status: 'FAILED', to_status: 'RETRYING' },
        ),
      ).summary,
    ).toBe('FAILED → RETRYING (resumes by itself, next try in 1.5 s) — LLM_ERROR: overloaded');
    expect(
      describeEvent(event('status', { by: 'vm:1:a' }, { from_status: 'INITIALIZED', to_status: 'PENDING' }))
        .summary,
    ).toBe('INITIALIZED → PENDING');
  });

  it('shows model turns with the tools wanted, tokens, cost and latency from its start', () => {
    const started = event(
      'llm.started',
      { summary: 'step 2: asking gpt-4o-mini', step: 2, route: 'default' },
      at(0),
    );
    const reply = event(
      'llm.reply',
      {
        summary: 'step 2: gpt-4o-mini wants azos__read_file (1400 in (1024 cached) / 20 out, $0.000145)',
        step: 2,
        model: 'gpt-4o-mini',
        usage: { input: 1400, cachedInput: 1024, output: 20 },
        cost_micro_usd: 145,
        cost_source: 'price_table',
        tool_calls: ['azos__read_file', 'azos__list_directory'],
      },
      at(812),
    );
    const timings = eventTimings([started, reply]);
    expect(describeEvent(started, timings)).toEqual({
      label: 'model',
      colour: undefined,
      step: 2,
      summary: 'asking gpt-4o-mini…',
    });
    expect(describeEvent(reply, timings)).toEqual({
      label: 'model',
      colour: 'cyan',
      step: 2,
      summary:
        'gpt-4o-mini → azos__read_file, azos__list_directory · 1,400 in (1,024 cached) / 20 out · $0.000145 · 812 ms',
    });
    const answer = event('llm.reply', {
      step: 3,
      model: 'mystery-model',
      usage: null,
      cost_micro_usd: null,
      tool_calls: [],
    });
    expect(describeEvent(answer).summary).toBe('mystery-model answered · no usage reported · cost unknown');
  });

  it('shows retries, fallbacks, budget waits and sampling calls', () => {
    expect(
      describeEvent(
        event('llm.retry', {
          summary: 'step 1: gpt-4o failed (HTTP 429); retry 1 in 0.5 s',
          step: 1,
          type: 'retry',
          model: 'gpt-4o',
          attempt: 1,
          delayMs: 500,
          reason: 'HTTP 429',
        }),
      ),
    ).toMatchObject({
      label: 'retry',
      colour: 'yellow',
      step: 1,
      summary: 'gpt-4o failed (HTTP 429); attempt 1 in 500 ms',
    });
    expect(
      describeEvent(
        event('llm.fallback', {
          step: 1,
          type: 'fallback',
          from: 'gpt-4o',
          to: 'gpt-4o-mini',
          reason: 'HTTP 500',
        }),
      ),
    ).toMatchObject({ label: 'fallback', summary: 'gpt-4o failed (HTTP 500) → gpt-4o-mini' });
    expect(
      describeEvent(
        event('llm.waiting', {
          summary: 'step 4: waiting for calls in flight before spending the rest of the day budget',
          step: 4,
        }),
      ).summary,
    ).toBe('waiting for calls in flight before spending the rest of the day budget');
    expect(
      describeEvent(event('llm.sampling', { summary: 'sampling', model: 'gpt-4o-mini', cost_micro_usd: 12 })),
    ).toMatchObject({ label: 'sampling', summary: 'gpt-4o-mini for an MCP server · $0.000012' });
  });

  it('shows tool calls with their arguments, and results (failed ones red) with the call duration', () => {
    const started = event(
      'tool.started',
      {
        summary: 'step 1: azos__write_file {"path":"notes.md","content":"# Notes"}',
        step: 1,
        tool: 'azos__write_file',
      },
      at(1000),
    );
    const result = event(
      'tool.result',
      {
        summary: 'step 1: azos__write_file ok: wrote 7 bytes to notes.md',
        step: 1,
        tool: 'azos__write_file',
        ok: true,
      },
      at(1013),
    );
    const refused = event(
      'tool.result',
      {
        summary: 'step 2: azos__nope not run: Error: there is no tool named azos__nope',
        step: 2,
        tool: 'azos__nope',
        ok: false,
      },
      at(2000),
    );
    const timings = eventTimings([started, result, refused]);
    expect(describeEvent(started, timings)).toMatchObject({
      label: 'tool',
      colour: 'yellow',
      step: 1,
      summary: 'azos__write_file {"path":"notes.md","content":"# Notes"}',
    });
    expect(describeEvent(result, timings)).toMatchObject({
      label: 'result',
      colour: 'green',
      summary: 'azos__write_file ok: wrote 7 bytes to notes.md · 13 ms',
    });
    expect(describeEvent(refused, timings)).toMatchObject({
      label: 'result',
      colour: 'red',
      step: 2,
      summary: 'azos__nope not run: Error: there is no tool named azos__nope',
    });
  });

  it('shows the agent notes: resumed, context, warnings', () => {
    expect(
      describeEvent(
        event('agent.resumed', { summary: 'resumed after step 2: 2 model calls replayed', step: 2 }),
      ),
    ).toMatchObject({
      label: 'resumed',
      colour: 'magenta',
      summary: 'resumed after step 2: 2 model calls replayed',
    });
    expect(
      describeEvent(event('agent.context', { summary: 'context: 3 items retrieved', ids: [] })).label,
    ).toBe('context');
    expect(
      describeEvent(event('agent.warning', { summary: 'fs: failed to start; continuing without its tools' })),
    ).toMatchObject({ label: 'warning', colour: 'yellow' });
  });

  it('shows any other kind by its summary or its data, with the type leading when it is long', () => {
    expect(describeEvent(event('note', { summary: 'compacted the context' }))).toMatchObject({
      label: 'note',
      summary: 'compacted the context',
    });
    expect(describeEvent(event('memory_added', { collection: 'notes', ids: ['a', 'b'] }))).toMatchObject({
      label: 'event',
      summary: 'memory_added: collection=notes ids=["a","b"]',
    });
    expect(describeEvent(event('oops', { error: { code: 'INTERNAL', message: 'boom' } }))).toMatchObject({
      label: 'oops',
      colour: 'red',
      summary: 'INTERNAL: boom',
    });
    expect(describeEvent(event('heartbeat', null)).summary).toBe('');
  });

  it('cleans escape sequences out of every part, including the type', () => {
    const line = describeEvent(
      event('x\u001b[31mtype', { summary: 'ok\u001b]8;;http://evil\u0007link\u001b]8;;\u0007' }),
    );
    expect(line.label).toBe('event');
    expect(line.summary).toBe('xtype: oklink');
    expect(
      describeEvent(event('tool.result', { summary: 'step 1: t ok: a\u001b[2Jb\nc', step: 1, ok: true }))
        .summary,
    ).toBe('t ok: ab c');
  });

  it('expands an event: its summary keeps its lines, the rest of the data follows, bounded', () => {
    const details = eventDetails(
      event('tool.result', { summary: 'step 1: t ok: line one\nline two', step: 1, tool: 't', ok: true }),
      20,
    );
    expect(details.slice(0, 3)).toEqual(['step 1: t ok: line one', 'line two', '{']);
    expect(details).toContain('  "tool": "t",');
    const long = eventDetails(
      event('x', { output: 'a\nb', list: Array.from({ length: 40 }, (_, index) => index) }),
      10,
    );
    expect(long).toHaveLength(10);
    expect(long[0]).toBe('{');
    expect(long.at(-1)).toMatch(/^… \d+ more lines$/);
  });
});
