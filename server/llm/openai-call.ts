/**
 * One chat completion through the openai SDK, streamed or not, reduced to a reply the gateway understands.
 * Non-streamed replies are read with `.withResponse()` for the LiteLLM cost header; streamed ones ask for a
 * final usage chunk (`stream_options.include_usage`), where LiteLLM may put `usage.cost`.
 */
import type OpenAI from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { TokenUsage } from '../cost/call-cost.js';
import { MalformedReplyError } from './failure.js';
import type { ChatMessage, ToolCallRequest, ToolSpec } from './types.js';

export interface AttemptReply {
  content: string | null;
  toolCalls: ToolCallRequest[];
  finishReason: string | null;
  model: string;
  usage: TokenUsage | undefined;
  proxyCostHeader: string | null;
  usageCost: unknown;
}

export interface AttemptOptions {
  model: string;
  messages: readonly ChatMessage[];
  tools: readonly ToolSpec[] | undefined;
  maxOutputTokens: number;
  /** OpenAI's own API wants max_completion_tokens; other servers know max_tokens. */
  useMaxCompletionTokens: boolean;
  stream: boolean;
  signal: AbortSignal;
  timeoutMs: number;
}

/** Thrown when a reply arrived but was unusable; carries what may have been billed. */
export class UnusableReplyError extends MalformedReplyError {
  readonly partial: Omit<AttemptReply, 'content' | 'toolCalls' | 'finishReason'>;
  constructor(message: string, partial: UnusableReplyError['partial']) {
    super(message);
    this.partial = partial;
  }
}

function toUsage(usage: CompletionUsage | null | undefined): TokenUsage | undefined {
  if (!usage || typeof usage.prompt_tokens !== 'number') return undefined;
  const details = usage.prompt_tokens_details as { cached_tokens?: number } | undefined;
  const litellm = (usage as { cache_read_input_tokens?: number }).cache_read_input_tokens;
  return {
    input: usage.prompt_tokens,
    cachedInput: details?.cached_tokens ?? litellm ?? 0,
    output: usage.completion_tokens ?? 0,
  };
}

function toParams(messages: readonly ChatMessage[]): ChatCompletionMessageParam[] {
  return messages.map(message => {
    if (message.role === 'assistant') {
      return {
        role: 'assistant',
        content: message.content,
        ...(message.tool_calls && message.tool_calls.length > 0
          ? {
              tool_calls: message.tool_calls.map(call => ({
                id: call.id,
                type: 'function' as const,
                function: { name: call.name, arguments: call.arguments },
              })),
            }
          : {}),
      };
    }
    return message;
  });
}

/**
 * The tool list as JSON, encoded once per list: a task offers the same tools at every step, and they are most
 * of a request's bytes (tens of kilobytes of schemas against a few of messages).
 */
const encodedTools = new WeakMap<readonly ToolSpec[], string>();

function toolsJson(tools: readonly ToolSpec[]): string {
  let json = encodedTools.get(tools);
  if (json === undefined) {
    json = JSON.stringify(
      tools.map(tool => ({
        type: 'function',
        function: { name: tool.name, description: tool.description, parameters: tool.parameters },
      })),
    );
    encodedTools.set(tools, json);
  }
  return json;
}

function params(options: AttemptOptions): ChatCompletionCreateParamsNonStreaming {
  return {
    model: options.model,
    messages: toParams(options.messages),
    ...(options.useMaxCompletionTokens
      ? { max_completion_tokens: options.maxOutputTokens }
      : { max_tokens: options.maxOutputTokens }),
  };
}

/**
 * The SDK's request options, with the body already encoded (the SDK sends a string body that has a content
 * type as it is): the parameters, then the tool list from its cache.
 */
function requestOptions(
  options: AttemptOptions,
  sent: ChatCompletionCreateParamsNonStreaming | ChatCompletionCreateParamsStreaming,
) {
  const json = JSON.stringify(sent);
  const tools = options.tools;
  return {
    body: tools && tools.length > 0 ? `${json.slice(0, -1)},"tools":${toolsJson(tools)}}` : json,
    headers: { 'content-type': 'application/json' },
    signal: options.signal,
    timeout: options.timeoutMs,
    maxRetries: 0,
  };
}

export async function callOnce(client: OpenAI, options: AttemptOptions): Promise<AttemptReply> {
  return options.stream ? streamed(client, options) : whole(client, options);
}

async function whole(client: OpenAI, options: AttemptOptions): Promise<AttemptReply> {
  const sent = params(options);
  const { data, response } = await client.chat.completions
    .create(sent, requestOptions(options, sent))
    .withResponse();
  if (data === null || typeof data !== 'object')
    throw new MalformedReplyError('the reply is not a JSON object');
  const partial = {
    model: typeof data.model === 'string' && data.model ? data.model : options.model,
    usage: toUsage(data.usage),
    proxyCostHeader: response.headers.get('x-litellm-response-cost'),
    usageCost: (data.usage as { cost?: unknown } | undefined)?.cost,
  };
  const choice = Array.isArray(data.choices) ? data.choices[0] : undefined;
  if (!choice?.message) throw new UnusableReplyError('the reply has no choices', partial);
  const toolCalls: ToolCallRequest[] = [];
  for (const call of choice.message.tool_calls ?? []) {
    if (call.type !== 'function' || !call.function?.name) continue;
    toolCalls.push({ id: call.id, name: call.function.name, arguments: call.function.arguments ?? '' });
  }
  return {
    ...partial,
    content: choice.message.content ?? null,
    toolCalls,
    finishReason: choice.finish_reason ?? null,
  };
}

async function streamed(client: OpenAI, options: AttemptOptions): Promise<AttemptReply> {
  const sent: ChatCompletionCreateParamsStreaming = {
    ...params(options),
    stream: true,
    stream_options: { include_usage: true },
  };
  const stream = await client.chat.completions.create(sent, requestOptions(options, sent));
  let content = '';
  let sawContent = false;
  let sawChoice = false;
  let model = options.model;
  let finishReason: string | null = null;
  let usage: CompletionUsage | undefined;
  const calls = new Map<number, ToolCallRequest>();
  for await (const chunk of stream as AsyncIterable<ChatCompletionChunk>) {
    if (chunk.model) model = chunk.model;
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices ?? []) {
      sawChoice = true;
      if (choice.finish_reason) finishReason = choice.finish_reason;
      const delta = choice.delta;
      if (typeof delta?.content === 'string') {
        content += delta.content;
        sawContent = true;
      }
      for (const part of delta?.tool_calls ?? []) {
        const current = calls.get(part.index) ?? { id: '', name: '', arguments: '' };
        if (part.id) current.id = part.id;
        if (part.function?.name) current.name += part.function.name;
        if (part.function?.arguments) current.arguments += part.function.arguments;
        calls.set(part.index, current);
      }
    }
  }
  const partial = {
    model,
    usage: toUsage(usage),
    proxyCostHeader: null,
    usageCost: (usage as { cost?: unknown } | undefined)?.cost,
  };
  if (!sawChoice) throw new UnusableReplyError('the streamed reply has no choices', partial);
  const toolCalls = [...calls.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, call]) => ({ ...call, id: call.id || `call_${index}` }))
    .filter(call => call.name.length > 0);
  return { ...partial, content: sawContent ? content : null, toolCalls, finishReason };
}
