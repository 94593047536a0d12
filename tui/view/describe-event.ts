/**
 * Turning a task event into a line of the step log. Status events come from the task engine; the agent
 * (server/agent/) writes the others, each with a one-line `summary` and the fields below:
 *
 *   llm.started   {step, route}                         a model call begins
 *   llm.reply     {step, model, usage, cost_micro_usd,  the model answered: tokens, cost, the tools it wants
 *                  cost_source, tool_calls: [names]}
 *   llm.retry     {step, model, attempt, delayMs, reason}   a failed call is tried again after a delay
 *   llm.fallback  {step, from, to, reason}              a model gave up; the next one in the route is asked
 *   llm.waiting   {step}                                waiting for calls in flight before spending a budget
 *   llm.sampling  {model, cost_micro_usd}               a model call made for an external MCP server
 *   tool.started  {step, tool}                          summary: "step N: TOOL {arguments…}"
 *   tool.result   {step, tool, ok}                      summary: "step N: TOOL ok|failed|not run: output…"
 *   agent.resumed / agent.context / agent.warning      summary only
 *
 * Latency (model turns) and duration (tool calls) come from the time between a start and its end, paired by
 * `eventTimings`. Any other type is shown whatever it is: its summary, or its data as key=value pairs. All
 * server text is cleaned here, once.
 */
import type { TaskEvent } from '../../protocol/task.js';
import { clean } from '../../protocol/terminal-text.js';
import { compactJson, formatCount, formatUsd } from '../format.js';
import type { Colour } from '../theme.js';

/** Cells of the label column of the step log. */
export const LABEL_WIDTH = 9;

export interface EventLine {
  label: string;
  colour: Colour | undefined;
  /** The agent step the event belongs to, when it has one. */
  step: number | undefined;
  summary: string;
}

type Data = Record<string, unknown>;

const str = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** The agent's summaries start with "step N: "; the log shows the step in a column of its own. */
const withoutStep = (summary: unknown): string => (str(summary) ?? '').replace(/^step \d+: /, '');

function errorText(value: unknown): string {
  if (value && typeof value === 'object') {
    const error = value as Data;
    const message = str(error.message) ?? compactJson(error);
    return error.code ? `${String(error.code)}: ${message}` : message;
  }
  return str(value) ?? 'error';
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function tokens(usage: unknown): string {
  if (!usage || typeof usage !== 'object') return 'no usage reported';
  const { input, cachedInput, output } = usage as Data;
  const cached = num(cachedInput) ?? 0;
  return (
    `${formatCount(num(input) ?? 0)} in${cached > 0 ? ` (${formatCount(cached)} cached)` : ''}` +
    ` / ${formatCount(num(output) ?? 0)} out`
  );
}

const cost = (value: unknown): string => {
  const micro = num(value);
  return micro === undefined ? 'cost unknown' : formatUsd(micro);
};

/** Milliseconds from each start (llm.started, tool.started) to its end, by the end event's seq. */
export function eventTimings(events: readonly TaskEvent[]): Map<number, number> {
  const started = new Map<string, number>();
  const timings = new Map<number, number>();
  for (const event of events) {
    const data: Data = event.data ?? {};
    const step = num(data.step);
    if (step === undefined) continue;
    const key =
      event.type === 'llm.started' || event.type === 'llm.reply'
        ? `llm:${step}`
        : event.type === 'tool.started' || event.type === 'tool.result'
          ? `tool:${step}:${str(data.tool) ?? ''}`
          : undefined;
    if (key === undefined) continue;
    const at = Date.parse(event.created_at);
    if (event.type.endsWith('.started')) {
      started.set(key, at);
      continue;
    }
    const from = started.get(key);
    if (from !== undefined && at >= from) timings.set(event.seq, at - from);
    started.delete(key);
  }
  return timings;
}

function statusSummary(event: TaskEvent, data: Data): string {
  const to = event.to_status;
  const parts: string[] = [];
  if (to === 'RUNNING' && num(data.attempt) !== undefined) parts.push(`attempt ${data.attempt}`);
  if (data.resume === true) parts.push(data.auto === true ? 'resumes by itself' : 'resume from the journal');
  if (data.manual === true) parts.push('retry from the start');
  const delay = num(data.retry_in_ms);
  if (delay !== undefined) parts.push(`next try in ${formatMs(delay)}`);
  const unfinished = str(data.unfinished_call);
  if (data.resume === true && unfinished && unfinished !== 'stop')
    parts.push(`unfinished call: ${unfinished}`);
  const reason = str(data.reason) ?? str(data.note);
  if (reason) parts.push(reason);
  const by = str(data.by);
  if (by && (to === 'CANCELLED' || to === 'FINALIZED' || data.manual === true || data.resume === true))
    parts.push(`by ${by}`);
  const error = data.error ? ` — ${errorText(data.error)}` : '';
  const detail = parts.length > 0 ? ` (${parts.join(', ')})` : '';
  return `${event.from_status ?? '∅'} → ${to ?? '?'}${detail}${error}`;
}

function keyValues(data: Data): string {
  return Object.entries(data)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : compactJson(value, 120)}`)
    .join(' ');
}

/** One log line for `event`; `timings` (from eventTimings) adds latencies and durations. */
export function describeEvent(event: TaskEvent, timings?: ReadonlyMap<number, number>): EventLine {
  const data: Data = event.data ?? {};
  const step = num(data.step);
  const took = timings?.get(event.seq);
  const line = (label: string, colour: Colour | undefined, summary: string): EventLine => ({
    label: clean(label),
    colour,
    step,
    summary: clean(summary),
  });
  switch (event.type) {
    case 'status':
      return line('status', undefined, statusSummary(event, data));
    case 'llm.started':
      return line('model', undefined, `${withoutStep(data.summary) || 'asking the model'}…`);
    case 'llm.reply': {
      const model = str(data.model) ?? 'model';
      const wanted = Array.isArray(data.tool_calls) ? data.tool_calls.map(String) : [];
      const action = wanted.length > 0 ? `→ ${wanted.join(', ')}` : 'answered';
      const figures = [tokens(data.usage), cost(data.cost_micro_usd)];
      if (took !== undefined) figures.push(formatMs(took));
      return line('model', 'cyan', `${model} ${action} · ${figures.join(' · ')}`);
    }
    case 'llm.retry': {
      const delay = num(data.delayMs);
      return line(
        'retry',
        'yellow',
        `${str(data.model) ?? 'model'} failed (${str(data.reason) ?? '?'}); attempt ${str(data.attempt) ?? '?'}` +
          (delay !== undefined ? ` in ${formatMs(delay)}` : ''),
      );
    }
    case 'llm.fallback':
      return line(
        'fallback',
        'yellow',
        `${str(data.from) ?? '?'} failed (${str(data.reason) ?? '?'}) → ${str(data.to) ?? '?'}`,
      );
    case 'llm.waiting':
      return line('wait', 'yellow', withoutStep(data.summary));
    case 'llm.sampling':
      return line(
        'sampling',
        'cyan',
        `${str(data.model) ?? 'model'} for an MCP server · ${cost(data.cost_micro_usd)}`,
      );
    case 'tool.started':
      return line('tool', 'yellow', withoutStep(data.summary) || (str(data.tool) ?? 'tool'));
    case 'tool.result': {
      const summary = withoutStep(data.summary) || `${str(data.tool) ?? 'tool'} ${data.ok ? 'ok' : 'failed'}`;
      return line(
        'result',
        data.ok === true ? 'green' : 'red',
        took !== undefined ? `${summary} · ${formatMs(took)}` : summary,
      );
    }
    case 'agent.resumed':
      return line('resumed', 'magenta', withoutStep(data.summary));
    case 'agent.context':
      return line('context', undefined, withoutStep(data.summary));
    case 'agent.warning':
      return line('warning', 'yellow', withoutStep(data.summary));
  }
  // A kind this dashboard does not know (a newer server, another component): its summary or its data. A type
  // too long for the label column leads the text instead, so it is never cut.
  const short = event.type.length <= LABEL_WIDTH;
  const label = short ? event.type : 'event';
  const lead = short ? '' : `${event.type}: `;
  if (data.error !== undefined && data.error !== null) {
    return line(label, 'red', `${lead}${str(data.summary) ?? ''} ${errorText(data.error)}`.trim());
  }
  return line(label, undefined, `${lead}${str(data.summary) ?? keyValues(data)}`);
}

/**
 * The expanded view of an event: its summary as the text it is (a tool's output keeps its lines), then the
 * rest of its data pretty-printed; cleaned, and bounded to `maxLines`.
 */
export function eventDetails(event: TaskEvent, maxLines: number): string[] {
  if (!event.data) return [];
  const { summary, ...rest } = event.data;
  let pretty = '';
  if (Object.keys(rest).length > 0 || typeof summary !== 'string') {
    try {
      pretty = JSON.stringify(typeof summary === 'string' ? rest : event.data, null, 2);
    } catch {
      pretty = String(event.data);
    }
  }
  const text = [typeof summary === 'string' ? summary : '', pretty].filter(Boolean).join('\n');
  const lines = clean(text, { multiline: true }).replace(/\t/g, '  ').split('\n');
  return lines.length > maxLines
    ? [...lines.slice(0, maxLines - 1), `… ${lines.length - maxLines + 1} more lines`]
    : lines;
}
