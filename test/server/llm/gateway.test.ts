import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config/load.js';
import { createLlmGateway } from '../../../server/llm/gateway.js';
import type { GatewayEvent } from '../../../server/llm/types.js';
import type { Scenario, Turn } from '../../fixtures/scripted-llm/scenario.js';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../../fixtures/scripted-llm/server.js';
import { failure } from '../../helpers/failure.js';

let llm: ScriptedLlmServer | undefined;

afterEach(async () => {
  await llm?.close();
  llm = undefined;
});

async function gatewayFor(
  turn: Turn | Turn[],
  llmConfig: Record<string, unknown> = {},
  env: Record<string, string> = {},
) {
  const scenario: Scenario = { name: 'one', match: '*', turns: Array.isArray(turn) ? turn : [turn] };
  llm = await startScriptedLlmServer({ scenarios: [scenario] });
  const loaded = loadConfig({
    fileText: JSON.stringify({
      llm: { provider: 'custom', base_url: llm.url, max_retries: 2, timeout_seconds: 5, ...llmConfig },
    }),
    filePath: '/config.json',
    env,
  });
  return createLlmGateway({ config: () => loaded, env, random: () => 0 });
}

const request = { messages: [{ role: 'user' as const, content: 'hello' }] };

describe('LLM gateway', () => {
  it.each([false, true])(
    'sends the messages, the token limit and every tool with its schema in the request body (stream: %s)',
    async stream => {
      // The conversation already has one model reply: the server answers with its second turn.
      const gateway = await gatewayFor([{ content: 'unused' }, { content: 'ok' }], {
        stream,
        max_output_tokens: 321,
      });
      const tools = [
        {
          name: 'fs__read_file',
          description: 'Read a "quoted" file\n',
          parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
        },
        { name: 'azos__get_status', description: 'Status', parameters: { type: 'object' } },
      ];
      const messages = [
        { role: 'user' as const, content: 'read a.txt' },
        {
          role: 'assistant' as const,
          content: null,
          tool_calls: [{ id: 'c1', name: 'fs__read_file', arguments: '{"path":"a.txt"}' }],
        },
        { role: 'tool' as const, tool_call_id: 'c1', content: 'héllo ✓' },
      ];
      // Twice with the same tool list: the second request reuses the list's encoding.
      for (let index = 0; index < 2; index += 1) await gateway.complete({ messages, tools });
      for (const sent of llm?.requests ?? []) {
        expect(sent.body).toEqual({
          model: expect.any(String),
          messages: [
            messages[0],
            {
              role: 'assistant',
              content: null,
              tool_calls: [
                {
                  id: 'c1',
                  type: 'function',
                  function: { name: 'fs__read_file', arguments: '{"path":"a.txt"}' },
                },
              ],
            },
            messages[2],
          ],
          max_tokens: 321,
          tools: tools.map(tool => ({ type: 'function', function: tool })),
          ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
        });
      }
      expect(llm?.requests).toHaveLength(2);
    },
  );

  it('retries a 429 after the Retry-After it was given, then a 500 with backoff, then succeeds', async () => {
    const gateway = await gatewayFor({
      content: 'hi',
      faults: [{ type: '429', retry_after: 1 }, { type: '500' }],
    });
    const events: GatewayEvent[] = [];
    const started = Date.now();
    const reply = await gateway.complete(request, { onEvent: event => events.push(event) });
    expect(reply.content).toBe('hi');
    expect(reply.attempts).toBe(3);
    expect(events.map(event => (event.type === 'retry' ? event.delayMs : -1))).toEqual([1000, 500]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(llm?.requests.map(record => record.fault)).toEqual(['429', '500', null]);
  });

  it('falls back to the next model of the route when one keeps failing', async () => {
    const gateway = await gatewayFor(
      { content: 'from b', faults_by_model: { 'model-a': [{ type: '500', times: 99 }] } },
      { routes: { default: ['model-a', 'model-b'] } },
    );
    const events: GatewayEvent[] = [];
    const reply = await gateway.complete(request, { onEvent: event => events.push(event) });
    expect(reply).toMatchObject({ content: 'from b', requestedModel: 'model-b', model: 'model-b' });
    expect(llm?.requests.map(record => record.model)).toEqual(['model-a', 'model-a', 'model-a', 'model-b']);
    expect(events.at(-1)).toMatchObject({ type: 'fallback', from: 'model-a', to: 'model-b' });
  });

  it('goes straight to the next model on 404 (unknown model), without retrying it', async () => {
    const gateway = await gatewayFor(
      { content: 'ok', faults_by_model: { gone: [{ type: '404', times: 9 }] } },
      { routes: { default: ['gone', 'there'] } },
    );
    await gateway.complete(request);
    expect(llm?.requests.map(record => record.model)).toEqual(['gone', 'there']);
  });

  it('retries malformed JSON and empty choices, keeping the billed empty reply', async () => {
    const gateway = await gatewayFor({
      content: 'fine',
      usage: { prompt_tokens: 10, completion_tokens: 5 },
      faults: [{ type: 'malformed' }, { type: 'empty_choices' }],
    });
    const reply = await gateway.complete(request);
    expect(reply.content).toBe('fine');
    expect(reply.billed).toHaveLength(2);
    expect(reply.billed[0]?.usage).toEqual({ input: 10, cachedInput: 0, output: 5 });
  });

  it('times out a call that never answers, retries, and reports LLM_ERROR when every attempt timed out', async () => {
    const gateway = await gatewayFor(
      { content: 'late', faults: [{ type: 'timeout', times: 9 }] },
      { timeout_seconds: 1, max_retries: 1 },
    );
    const error = await failure(gateway.complete(request));
    expect(error.code).toBe('LLM_ERROR');
    expect(error.message).toMatch(/no reply within 1 s/);
    expect(error.details?.retryable).toBe(true);
    await expect.poll(() => llm?.requests.every(record => record.aborted)).toBe(true);
  });

  it('streams: assembles content and tool calls, and reads usage and usage.cost from the final chunk', async () => {
    const gateway = await gatewayFor(
      {
        content: 'let me write',
        tool_calls: [{ name: 'fs__write_file', arguments: { path: 'a.txt', content: 'x' } }],
        usage: { prompt_tokens: 100, completion_tokens: 20, cached_tokens: 50 },
        usage_cost: 0.000123,
      },
      { stream: true },
    );
    const reply = await gateway.complete(request);
    expect(llm?.requests[0]?.stream).toBe(true);
    expect(reply.content).toBe('let me write');
    expect(reply.toolCalls).toEqual([
      { id: 'call_0_0', name: 'fs__write_file', arguments: '{"path":"a.txt","content":"x"}' },
    ]);
    expect(reply.usage).toEqual({ input: 100, cachedInput: 50, output: 20 });
    expect(reply.billed[0]?.usageCost).toBe(0.000123);
  });

  it('reads the LiteLLM cost header on non-streamed replies', async () => {
    const gateway = await gatewayFor({ content: 'priced', cost_header: '0.00042' });
    const reply = await gateway.complete(request);
    expect(reply.billed[0]?.proxyCostHeader).toBe('0.00042');
  });

  it('cancels a call in flight through the AbortSignal', async () => {
    const gateway = await gatewayFor({ content: 'never', hold: true });
    const controller = new AbortController();
    const pending = gateway.complete(request, { signal: controller.signal });
    await llm?.waitForRequest(record => record.held);
    const cancelledAt = Date.now();
    controller.abort();
    const error = await failure(pending);
    expect(error.code).toBe('CANCELLED');
    expect(Date.now() - cancelledAt).toBeLessThan(1000);
    await expect.poll(() => llm?.requests[0]?.aborted).toBe(true);
  });

  it('says which config keys to set when nothing listens at llm.base_url', async () => {
    const loaded = loadConfig({
      fileText: JSON.stringify({ llm: { base_url: 'http://127.0.0.1:9/v1', max_retries: 0 } }),
      filePath: '/config.json',
      env: {},
    });
    const gateway = createLlmGateway({ config: () => loaded, env: {} });
    const error = await failure(gateway.complete(request));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toMatch(/no LLM is reachable at http:\/\/127\.0\.0\.1:9\/v1/);
    expect(error.hint).toMatch(/llm\.provider.*llm\.base_url.*llm\.api_key/);
  });

  it('refuses to call a hosted provider without a key, naming AZ_LLM_API_KEY and the provider variable', async () => {
    const loaded = loadConfig({
      fileText: JSON.stringify({ llm: { provider: 'openai' } }),
      filePath: '/c.json',
      env: {},
    });
    const gateway = createLlmGateway({ config: () => loaded, env: {} });
    const error = await failure(gateway.complete(request));
    expect(error.code).toBe('LLM_ERROR');
    expect(error.hint).toMatch(/AZ_LLM_API_KEY \(or OPENAI_API_KEY\)/);
  });

  it('stops at once when the endpoint refuses the key (401), with the key hint', async () => {
    const gateway = await gatewayFor(
      { content: 'x', faults: [{ type: '401', times: 9 }] },
      { routes: { default: ['a', 'b'] } },
    );
    const error = await failure(gateway.complete(request));
    expect(error.code).toBe('LLM_ERROR');
    expect(error.message).toMatch(/refused the API key/);
    expect(error.hint).toMatch(/AZ_LLM_API_KEY/);
    expect(error.details?.retryable).toBe(false);
    expect(llm?.requests).toHaveLength(1);
  });
});
