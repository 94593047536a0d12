/** The agent's pure pieces: tool naming, output bounding, journal replay, repeat detection, retry timing. */
import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../../server/agent/journal.js';
import { createRepeatTracker } from '../../../server/agent/repeat-tracker.js';
import { replayJournal, unsafeUnfinished } from '../../../server/agent/replay.js';
import type { Connection } from '../../../server/agent/mcp-connections.js';
import { buildToolHub, type OwnToolsCache } from '../../../server/agent/tool-hub.js';
import { exposedToolName, OWN_SERVER } from '../../../server/agent/tool-names.js';
import { MAX_TOOL_TEXT, toolResultText } from '../../../server/agent/tool-result-text.js';
import { backoffDelay, parseRetryAfter } from '../../../server/llm/backoff.js';

describe('tool names for the model', () => {
  it('namespaces by server and keeps every name within OpenAI’s ^[a-zA-Z0-9_-]{1,64}$', () => {
    const taken = new Set<string>();
    const names = [
      'read.file',
      'rm -rf /',
      'ünïcødé',
      '../../etc/passwd',
      'x'.repeat(200),
      'x'.repeat(200),
    ].map(tool => {
      const name = exposedToolName('fs', tool, taken);
      taken.add(name);
      return name;
    });
    expect(names.slice(0, 4)).toEqual([
      'fs__read_file',
      'fs__rm_-rf__',
      'fs___n_c_d_',
      'fs________etc_passwd',
    ]);
    for (const name of names) expect(name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(new Set(names).size).toBe(names.length);
    expect(names[5]).toMatch(/_2$/);
  });

  it('never lets one server shadow another with the same tool name', () => {
    const taken = new Set<string>();
    const first = exposedToolName('a', 'b__c', taken);
    taken.add(first);
    expect(exposedToolName('a__b', 'c', taken)).not.toBe(first);
  });
});

describe('tool results for the model', () => {
  it('bounds a huge output and says how much was cut', () => {
    const text = toolResultText({ content: [{ type: 'text', text: 'y'.repeat(MAX_TOOL_TEXT + 5000) }] });
    expect(text.length).toBeLessThan(MAX_TOOL_TEXT + 100);
    expect(text).toMatch(/5000 more characters cut/);
  });

  it('names images and resources instead of inlining them, and falls back to structured content', () => {
    expect(toolResultText({ content: [{ type: 'image', data: 'AAAA', mimeType: 'image/png' }] })).toBe(
      '[image image/png]',
    );
    expect(toolResultText({ content: [], structuredContent: { ok: true } })).toBe('{"ok":true}');
  });
});

const entry = (seq: number, fields: Partial<JournalEntry>): JournalEntry => ({
  seq,
  generation: 1,
  attempt: 1,
  step: 1,
  kind: 'tool',
  callId: null,
  name: 'x',
  intent: {},
  outcome: null,
  state: 'done',
  startedAt: seq,
  finishedAt: seq,
  ...fields,
});

const reply = (seq: number, step: number, calls: string[]) =>
  entry(seq, {
    kind: 'llm',
    step,
    state: 'done',
    outcome: {
      content: null,
      tool_calls: calls.map(id => ({ id, name: `fs__${id}`, arguments: '{}' })),
      finish_reason: 'tool_calls',
      model: 'm',
      usage: null,
      cost_micro_usd: 1,
      cost_source: 'price_table',
    },
  });

const tool = (seq: number, id: string, state: JournalEntry['state'], safe: boolean) =>
  entry(seq, {
    callId: id,
    name: `fs__${id}`,
    state,
    intent: { server: 'fs', tool: id, arguments: {}, safe_to_repeat: safe, read_only: safe },
    outcome: state === 'done' ? { text: `${id} ok`, is_error: false } : null,
  });

describe('journal replay', () => {
  it('rebuilds the conversation and finds what is left: done calls replayed, the rest pending', () => {
    const state = replayJournal([
      reply(1, 1, ['a', 'b', 'c']),
      tool(2, 'a', 'done', false),
      tool(3, 'b', 'started', false),
    ]);
    expect(state.messages.map(message => message.role)).toEqual(['assistant', 'tool']);
    expect(state.pending.map(call => call.id)).toEqual(['b', 'c']);
    expect(unsafeUnfinished(state).map(item => item.call.id)).toEqual(['b']);
    expect(state.step).toBe(1);
  });

  it('lets a safe call with a lost result run again, and a rerun supersede the interrupted intent', () => {
    const safe = replayJournal([reply(1, 1, ['a']), tool(2, 'a', 'started', true)]);
    expect(safe.unfinished).toHaveLength(1);
    expect(unsafeUnfinished(safe)).toHaveLength(0);
    const rerun = replayJournal([
      reply(1, 1, ['a']),
      tool(2, 'a', 'interrupted', false),
      tool(3, 'a', 'done', false),
    ]);
    expect(rerun.pending).toEqual([]);
    expect(rerun.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'a', content: 'a ok' });
  });

  it('ignores model calls that failed or never finished, and knows a final answer', () => {
    const final = entry(4, {
      kind: 'llm',
      step: 2,
      outcome: { ...(reply(0, 2, []).outcome as object), content: 'done' },
    });
    const state = replayJournal([
      reply(1, 1, ['a']),
      tool(2, 'a', 'done', true),
      entry(3, { kind: 'llm', step: 2, state: 'started' }),
      final,
    ]);
    expect(state.final).toBe('done');
    expect(state.llmCalls).toBe(2);
  });
});

describe('repeat detection', () => {
  it('treats the same arguments in another key order as the same call, and any other call as a reset', () => {
    const tracker = createRepeatTracker();
    expect(tracker.record('t', { a: 1, b: [1, { c: 2, d: 3 }] })).toBe(1);
    expect(tracker.record('t', { b: [1, { d: 3, c: 2 }], a: 1 })).toBe(2);
    expect(tracker.peek('t', { a: 1, b: [1, { c: 2, d: 3 }] })).toBe(3);
    expect(tracker.record('u', {})).toBe(1);
    expect(tracker.record('t', { a: 1 })).toBe(1);
  });
});

describe('retry timing', () => {
  it('reads Retry-After as seconds, as an HTTP date, and retry-after-ms', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(parseRetryAfter(new Headers({ 'retry-after': '2' }), now)).toBe(2000);
    expect(parseRetryAfter(new Headers({ 'retry-after': new Date(now + 3000).toUTCString() }), now)).toBe(
      3000,
    );
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '150' }), now)).toBe(150);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
  });

  it('backs off exponentially with jitter, capped', () => {
    expect([0, 1, 2].map(attempt => backoffDelay(attempt, () => 0))).toEqual([250, 500, 1000]);
    expect(backoffDelay(0, () => 1)).toBe(500);
    expect(backoffDelay(30, () => 1)).toBe(20_000);
  });
});

describe("the agent's own tool list", () => {
  /** A connection to AZ-OS itself whose tools/list answers after a turn, failing the first `failures` times. */
  function ownConnection(counter: { lists: number }, failures = 0): Connection {
    const client = {
      async listTools() {
        counter.lists += 1;
        await new Promise(resolve => setTimeout(resolve, 5));
        if (counter.lists <= failures) throw new Error('the server is busy');
        return {
          tools: [
            { name: 'read_file', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } },
            { name: 'create_task', inputSchema: { type: 'object' } },
          ],
        };
      },
    };
    return {
      name: OWN_SERVER,
      client: client as unknown as Connection['client'],
      close: async () => undefined,
    };
  }

  it('is listed once for tasks that start together, and shared by all of them', async () => {
    const counter = { lists: 0 };
    const cache: OwnToolsCache = {};
    const hubs = await Promise.all(
      Array.from({ length: 20 }, () => buildToolHub([ownConnection(counter)], cache)),
    );
    expect(counter.lists).toBe(1);
    for (const hub of hubs) expect(hub.find('azos__read_file')?.readOnly).toBe(true);
    // create_task is for the user, not the agent: hidden from the model on every hub.
    expect(hubs[0]?.tools.map(tool => tool.exposedName)).toEqual(['azos__read_file']);
  });

  it('is listed again after a failed listing instead of keeping the failure', async () => {
    const counter = { lists: 0 };
    const cache: OwnToolsCache = {};
    await expect(buildToolHub([ownConnection(counter, 1)], cache)).rejects.toThrow('the server is busy');
    const hub = await buildToolHub([ownConnection(counter, 1)], cache);
    expect(counter.lists).toBe(2);
    expect(hub.find('azos__read_file')).toBeDefined();
  });
});
