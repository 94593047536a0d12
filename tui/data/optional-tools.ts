/**
 * Reading tools whose contracts are not in protocol/ yet (cost and budgets arrive with the agent): results
 * are read leniently, by the field names those contracts use or are likely to use. Every call goes through
 * MCP; a tool the server does not list is never called. Tools with a contract (list_checkpoints) are called
 * through it, in checkpoint-sync.ts.
 */
import type { CallToolResult } from '@modelcontextprotocol/client';
import type { AzClient } from '../../protocol/client.js';
import { toAppError } from '../../protocol/client.js';
import { AppError, ErrorPayloadSchema } from '../../protocol/errors.js';
import type { Capabilities } from './capabilities.js';

export type Json = Record<string, unknown>;

/** Calls a tool by name and returns its structuredContent, or throws the server's AppError. */
export async function callByName(
  client: AzClient,
  name: string,
  args: Json,
  timeoutMs = 15_000,
): Promise<Json> {
  let result: CallToolResult;
  try {
    result = (await client.sdk.callTool({ name, arguments: args }, { timeout: timeoutMs })) as CallToolResult;
  } catch (error) {
    throw toAppError(error, name);
  }
  if (result.isError) {
    const payload = ErrorPayloadSchema.safeParse((result.structuredContent as Json | undefined)?.error);
    if (payload.success) throw AppError.fromPayload(payload.data);
    const text = result.content.map(block => (block.type === 'text' ? block.text : '')).join(' ');
    throw new AppError('TOOL_FAILED', text.trim() || `${name} failed`);
  }
  if (result.structuredContent && typeof result.structuredContent === 'object') {
    return result.structuredContent as Json;
  }
  const text = result.content.find(block => block.type === 'text');
  if (text && text.type === 'text') {
    try {
      const parsed = JSON.parse(text.text) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Json;
    } catch {
      // Not JSON: fall through.
    }
  }
  return {};
}

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * A money field in micro-dollars: `NAME_micro_usd` (integer micro-dollars, the AZ-OS convention) or
 * `NAME_usd` / `NAME` (dollars).
 */
export function moneyField(object: Json | undefined, names: readonly string[]): number | undefined {
  if (!object) return undefined;
  for (const name of names) {
    const micro = object[`${name}_micro_usd`];
    if (typeof micro === 'number' && Number.isFinite(micro)) return micro;
    for (const key of [`${name}_usd`, name]) {
      const dollars = object[key];
      if (typeof dollars === 'number' && Number.isFinite(dollars)) return Math.round(dollars * 1_000_000);
    }
  }
  return undefined;
}

function stringField(object: Json, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = object[name];
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number') return String(value);
  }
  return undefined;
}

function arrayField(object: Json | undefined, names: readonly string[]): Json[] | undefined {
  if (!object) return undefined;
  for (const name of names) {
    const value = object[name];
    if (Array.isArray(value)) return value.filter(isObject);
    if (isObject(value)) {
      // A map such as { "gpt-4o": { cost_micro_usd } } or { "gpt-4o": 1234 }.
      return Object.entries(value).map(([key, entry]) =>
        isObject(entry) ? { key, ...entry } : { key, cost_micro_usd: entry },
      );
    }
  }
  return undefined;
}

const COST_NAMES = ['cost', 'spent', 'total', 'amount'];

export interface ModelCost {
  model: string;
  costMicroUsd: number;
  calls: number | undefined;
}

export interface DayCost {
  day: string;
  costMicroUsd: number;
}

export interface CostView {
  /** 'server': from get_cost_summary; 'tasks': summed from the task list (the server has no cost tools). */
  source: 'server' | 'tasks';
  todayMicroUsd: number | undefined;
  totalMicroUsd: number | undefined;
  budgets: { perTask?: number; daily?: number; total?: number };
  byModel: ModelCost[];
  /** Oldest first, for the sparkline. */
  byDay: DayCost[];
}

function readModels(rows: Json[] | undefined): ModelCost[] {
  return (rows ?? [])
    .map(row => ({
      model: stringField(row, ['model', 'name', 'key', 'group']) ?? '?',
      costMicroUsd: moneyField(row, COST_NAMES) ?? 0,
      calls:
        typeof row.calls === 'number' ? row.calls : typeof row.count === 'number' ? row.count : undefined,
    }))
    .sort((a, b) => b.costMicroUsd - a.costMicroUsd);
}

function readDays(rows: Json[] | undefined): DayCost[] {
  return (rows ?? [])
    .map(row => ({
      day: stringField(row, ['day', 'date', 'key', 'group']) ?? '?',
      costMicroUsd: moneyField(row, COST_NAMES) ?? 0,
    }))
    .sort((a, b) => a.day.localeCompare(b.day));
}

/** Reads get_cost_summary (and get_budget when listed) into the cost panel's view. */
export async function readServerCost(client: AzClient, capabilities: Capabilities): Promise<CostView> {
  const input = capabilities.inputs.get('get_cost_summary');
  const groupKey = ['group_by', 'by', 'group'].find(name => input?.enums.has(name));
  const groups = groupKey ? (input?.enums.get(groupKey) ?? []) : [];
  const summary = await callByName(client, 'get_cost_summary', {});
  const extra = new Map<string, Json>();
  for (const group of ['model', 'day']) {
    if (groupKey && groups.includes(group)) {
      extra.set(group, await callByName(client, 'get_cost_summary', { [groupKey]: group }));
    }
  }
  const budget = capabilities.tools.has('get_budget')
    ? await callByName(client, 'get_budget', {}).catch(() => undefined)
    : undefined;
  const modelSource = extra.get('model') ?? summary;
  const daySource = extra.get('day') ?? summary;
  const budgets = isObject(budget?.budgets)
    ? budget.budgets
    : isObject(budget?.budget)
      ? budget.budget
      : budget;
  const totals = isObject(summary.totals) ? summary.totals : summary;
  return {
    source: 'server',
    todayMicroUsd: moneyField(totals, ['today', 'today_cost', 'day', 'daily']),
    totalMicroUsd: moneyField(totals, ['total', 'total_cost', 'all_time', 'cost']),
    budgets: {
      perTask: moneyField(budgets, ['per_task', 'task', 'default_task']),
      daily: moneyField(budgets, ['daily', 'per_day', 'day']),
      total: moneyField(budgets, ['total', 'overall', 'all_time']),
    },
    byModel: readModels(arrayField(modelSource, ['by_model', 'models', 'groups', 'rows'])),
    byDay: readDays(arrayField(daySource, ['by_day', 'days', 'daily', 'groups', 'rows'])),
  };
}
