import { describe, expect, it } from 'vitest';
import type { TaskEvent } from '../../../protocol/task.js';
import { describeEvent, eventDetails } from '../../../tui/view/describe-event.js';

const event = (
  type: string,
  data: Record<string, unknown> | null,
  patch: Partial<TaskEvent> = {},
): TaskEvent => ({
  seq: 1,
  task_id: 't',
  type,
  from_status: null,
  to_status: null,
  data,
  created_at: '2026-01-01T00:00:00.000Z',
  ...patch,
});

describe('describeEvent', () => {
  it('shows status changes with their reason and error', () => {
    expect(
      describeEvent(
        event('status', { reason: 'user asked' }, { from_status: 'RUNNING', to_status: 'CANCELLED' }),
      ),
    ).toEqual({
      label: 'status',
      colour: undefined,
      summary: 'RUNNING → CANCELLED (user asked)',
    });
    expect(
      describeEvent(
        event(
          'status',
          { error: { code: 'LLM_ERROR', message: 'rate limited' } },
          { from_status: 'RUNNING', to_status: 'FAILED' },
        ),
      ).summary,
    ).toBe('RUNNING → FAILED — LLM_ERROR: rate limited');
  });

  it('shows tool calls with their arguments and results, failed results in red', () => {
    expect(
      describeEvent(event('tool_call', { tool: 'run_shell_command', args: { command: 'npm test' } })),
    ).toMatchObject({
      label: 'tool',
      summary: 'run_shell_command({"command":"npm test"})',
    });
    expect(
      describeEvent(event('tool_result', { name: 'read_file', content: 'hello', elapsed_ms: 3.4 })),
    ).toMatchObject({
      label: 'result',
      colour: 'green',
      summary: 'read_file → hello [3 ms]',
    });
    expect(
      describeEvent(
        event('tool_result', {
          name: 'write_file',
          is_error: true,
          error: { code: 'PERMISSION_DENIED', message: 'outside the workspace' },
        }),
      ),
    ).toMatchObject({
      colour: 'red',
      summary: 'write_file → PERMISSION_DENIED: outside the workspace',
    });
  });

  it('shows model turns with text parts, tool call counts, tokens, cost and latency', () => {
    const line = describeEvent(
      event('llm_response', {
        model: 'gpt-4o',
        content: [{ type: 'text', text: 'Reading the file.' }],
        tool_calls: [{}, {}],
        usage: { prompt_tokens: 1000, completion_tokens: 50 },
        cost_micro_usd: 2600,
        latency_ms: 812.4,
      }),
    );
    expect(line).toMatchObject({
      label: 'model',
      summary: 'gpt-4o: Reading the file. → 2 tool calls [1000→50 tok · $0.0026 · 812 ms]',
    });
  });

  it('shows errors and checkpoints, and any other type as key=value pairs', () => {
    expect(describeEvent(event('agent_error', { message: 'step limit reached' })).summary).toBe(
      'step limit reached',
    );
    expect(
      describeEvent(event('checkpoint', { sha: '0123456789abcdef', message: 'after step 3' })).summary,
    ).toBe('0123456789ab after step 3');
    expect(describeEvent(event('memory_added', { collection: 'notes', ids: ['a', 'b'] }))).toEqual({
      label: 'memory_added',
      colour: undefined,
      summary: 'collection=notes ids=["a","b"]',
    });
    expect(describeEvent(event('heartbeat', null)).summary).toBe('');
    expect(describeEvent(event('note', { summary: 'compacted the context' })).summary).toBe(
      'compacted the context',
    );
  });

  it('cleans escape sequences out of every part, including the type', () => {
    const line = describeEvent(
      event('x\u001b[31mtype', { summary: 'ok\u001b]8;;http://evil\u0007link\u001b]8;;\u0007' }),
    );
    expect(line.label).toBe('xtype');
    expect(line.summary).toBe('oklink');
  });

  it('pretty-prints the data for the expanded view, bounded', () => {
    const details = eventDetails(
      event('tool_result', { output: 'a\nb', list: Array.from({ length: 40 }, (_, index) => index) }),
      10,
    );
    expect(details).toHaveLength(10);
    expect(details[0]).toBe('{');
    expect(details.at(-1)).toMatch(/^… \d+ more lines$/);
  });
});
