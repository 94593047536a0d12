/**
 * Turning a task event into a line of the step log. Status events come from the task engine; every other type
 * comes from the agent and is shown whatever it is: the types one can anticipate (model turns, tool calls and
 * results, errors, checkpoints) get a readable summary, anything else its data as compact key=value pairs.
 * All server text is cleaned here, once.
 */
import type { TaskEvent } from '../../protocol/task.js';
import { clean } from '../../protocol/terminal-text.js';
import { compactJson, formatUsd } from '../format.js';
import type { Colour } from '../theme.js';

export interface EventLine {
  label: string;
  colour: Colour | undefined;
  summary: string;
}

type Data = Record<string, unknown>;

const pick = (data: Data, names: readonly string[]): unknown => {
  for (const name of names) if (data[name] !== undefined && data[name] !== null) return data[name];
  return undefined;
};

const text = (value: unknown): string | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    // Chat content parts: [{type: 'text', text}], or plain values.
    const parts = value.map(part =>
      part && typeof part === 'object' && 'text' in part
        ? String((part as { text: unknown }).text)
        : compactJson(part),
    );
    return parts.join(' ');
  }
  return compactJson(value);
};

function usage(data: Data): string {
  const parts: string[] = [];
  const usageData = (data.usage && typeof data.usage === 'object' ? data.usage : data) as Data;
  const input = pick(usageData, ['input_tokens', 'prompt_tokens', 'tokens_in']);
  const output = pick(usageData, ['output_tokens', 'completion_tokens', 'tokens_out']);
  if (typeof input === 'number' || typeof output === 'number')
    parts.push(`${input ?? '?'}→${output ?? '?'} tok`);
  const cost = pick(data, ['cost_micro_usd']);
  if (typeof cost === 'number') parts.push(formatUsd(cost));
  const ms = pick(data, ['latency_ms', 'duration_ms', 'elapsed_ms']);
  if (typeof ms === 'number') parts.push(`${Math.round(ms)} ms`);
  return parts.length > 0 ? ` [${parts.join(' · ')}]` : '';
}

const isError = (data: Data): boolean =>
  data.is_error === true || data.ok === false || (data.error !== undefined && data.error !== null);

function errorText(value: unknown): string {
  if (value && typeof value === 'object') {
    const error = value as Data;
    const code = text(error.code);
    const message = text(error.message) ?? compactJson(error);
    return code ? `${code}: ${message}` : message;
  }
  return text(value) ?? 'error';
}

function keyValues(data: Data): string {
  return Object.entries(data)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : compactJson(value, 120)}`)
    .join(' ');
}

export function describeEvent(event: TaskEvent): EventLine {
  const data: Data = event.data ?? {};
  const type = event.type.toLowerCase();
  const line = (label: string, colour: Colour | undefined, summary: string): EventLine => ({
    label: clean(label),
    colour,
    summary: clean(summary),
  });
  if (type === 'status') {
    const reason = text(pick(data, ['reason', 'note']));
    const error = data.error ? ` — ${errorText(data.error)}` : '';
    return line(
      'status',
      undefined,
      `${event.from_status ?? '∅'} → ${event.to_status ?? '?'}${reason ? ` (${reason})` : ''}${error}`,
    );
  }
  if (/tool/.test(type) && /(result|output|response|done|end)/.test(type)) {
    const name = text(pick(data, ['name', 'tool', 'tool_name'])) ?? 'tool';
    const output = isError(data)
      ? errorText(pick(data, ['error', 'output', 'result', 'content']))
      : (text(pick(data, ['output', 'result', 'content', 'text', 'summary'])) ?? '');
    return line('result', isError(data) ? 'red' : 'green', `${name} → ${output}${usage(data)}`);
  }
  if (/tool/.test(type)) {
    const name = text(pick(data, ['name', 'tool', 'tool_name'])) ?? 'tool';
    const args = pick(data, ['arguments', 'args', 'input', 'params']);
    const rendered = typeof args === 'string' ? args : compactJson(args ?? {});
    return line('tool', 'yellow', `${name}(${rendered})${usage(data)}`);
  }
  if (/error|fail/.test(type)) {
    return line('error', 'red', errorText(pick(data, ['error', 'message', 'summary']) ?? data));
  }
  if (/llm|model|assistant|completion|turn|thought|reason/.test(type)) {
    const model = text(pick(data, ['model', 'route']));
    const said = text(pick(data, ['content', 'text', 'message', 'output', 'thought', 'summary'])) ?? '';
    const calls = Array.isArray(data.tool_calls)
      ? ` → ${data.tool_calls.length} tool call${data.tool_calls.length === 1 ? '' : 's'}`
      : '';
    return line('model', 'cyan', `${model ? `${model}: ` : ''}${said}${calls}${usage(data)}`);
  }
  if (/checkpoint/.test(type)) {
    const id = text(pick(data, ['id', 'checkpoint_id', 'sha', 'commit']));
    const label = text(pick(data, ['message', 'label', 'summary'])) ?? '';
    return line('checkpoint', 'magenta', `${id ? `${id.slice(0, 12)} ` : ''}${label}`);
  }
  const summary = text(data.summary);
  return line(event.type, undefined, summary ?? keyValues(data));
}

/** The event's data, pretty-printed and cleaned, for the expanded view. */
export function eventDetails(event: TaskEvent, maxLines: number): string[] {
  if (!event.data) return [];
  let pretty: string;
  try {
    pretty = JSON.stringify(event.data, null, 2);
  } catch {
    pretty = String(event.data);
  }
  const lines = clean(pretty, { multiline: true }).replace(/\t/g, '  ').split('\n');
  return lines.length > maxLines
    ? [...lines.slice(0, maxLines - 1), `… ${lines.length - maxLines + 1} more lines`]
    : lines;
}
