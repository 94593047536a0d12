/**
 * The agent journal (table agent_journal): each LLM call and tool call of a task as an intent written before
 * it starts, completed with its outcome after it ends. Writes run inside the caller's transaction (the agent
 * writes a journal row, its ledger entry and its task event together).
 */
import type { Db } from '../store/database.js';
import type { ChatMessage, ToolCallRequest } from '../llm/types.js';
import type { CostSource, TokenUsage } from '../cost/call-cost.js';

export type JournalKind = 'context' | 'llm' | 'tool';
export type JournalState = 'started' | 'done' | 'failed' | 'interrupted' | 'skipped';

export interface ContextOutcome {
  text: string;
  ids: string[];
  sources: string[];
}

export interface LlmIntent {
  route: string;
  models: string[];
  message_count: number;
  /** The reservation made for the call (0 when no budget applied). */
  estimate_micro_usd?: number;
}

export interface LlmOutcome {
  content: string | null;
  tool_calls: ToolCallRequest[];
  finish_reason: string | null;
  model: string | null;
  usage: TokenUsage | null;
  cost_micro_usd: number | null;
  cost_source: CostSource;
  error?: { code: string; message: string };
}

export interface ToolIntent {
  server: string;
  tool: string;
  /** Parsed arguments (or the raw text when the model's JSON was invalid). */
  arguments: unknown;
  /** Read-only or idempotent by the tool's annotations: may run again after a crash. */
  safe_to_repeat: boolean;
  read_only: boolean;
}

export interface ToolOutcome {
  /** What the model saw (a short note once retention removed it, see journal-retention.ts). */
  text: string;
  is_error: boolean;
  /** Set when retention.tool_outputs removed the text: when, and how long it was. */
  pruned?: { at: number; bytes: number };
}

export interface JournalEntry {
  seq: number;
  generation: number;
  attempt: number;
  step: number;
  kind: JournalKind;
  callId: string | null;
  name: string;
  intent: unknown;
  outcome: unknown;
  state: JournalState;
  startedAt: number;
  finishedAt: number | null;
}

interface JournalRow {
  seq: number;
  generation: number;
  attempt: number;
  step: number;
  kind: JournalKind;
  call_id: string | null;
  name: string;
  intent: string;
  outcome: string | null;
  state: JournalState;
  started_at: number;
  finished_at: number | null;
}

export interface NewEntry {
  taskId: string;
  generation: number;
  attempt: number;
  step: number;
  kind: JournalKind;
  callId?: string | null;
  name: string;
  intent: unknown;
  /** Write a finished entry at once (context rows, refused or skipped tool calls). */
  outcome?: unknown;
  state?: JournalState;
}

export type Journal = ReturnType<typeof createJournal>;

export function createJournal(db: Db, now: () => number) {
  const insert = db.prepare(`INSERT INTO agent_journal
    (task_id, generation, attempt, step, kind, call_id, name, intent, outcome, state, started_at, finished_at)
    VALUES (@taskId, @generation, @attempt, @step, @kind, @callId, @name, @intent, @outcome, @state, @now, @finished)`);
  const update = db.prepare('UPDATE agent_journal SET state = ?, outcome = ?, finished_at = ? WHERE seq = ?');
  const select = db.prepare('SELECT * FROM agent_journal WHERE task_id = ? AND generation = ? ORDER BY seq');
  const maxGeneration = db.prepare(
    'SELECT coalesce(max(generation), 0) AS generation FROM agent_journal WHERE task_id = ?',
  );

  return {
    latestGeneration(taskId: string): number {
      return (maxGeneration.get(taskId) as { generation: number }).generation;
    },

    entries(taskId: string, generation: number): JournalEntry[] {
      return (select.all(taskId, generation) as JournalRow[]).map(row => ({
        seq: row.seq,
        generation: row.generation,
        attempt: row.attempt,
        step: row.step,
        kind: row.kind,
        callId: row.call_id,
        name: row.name,
        intent: JSON.parse(row.intent) as unknown,
        outcome: row.outcome === null ? null : (JSON.parse(row.outcome) as unknown),
        state: row.state,
        startedAt: row.started_at,
        finishedAt: row.finished_at,
      }));
    },

    /** Inserts an entry (call inside a write transaction); returns its seq. */
    begin(entry: NewEntry): number {
      const at = now();
      const finished = entry.outcome !== undefined;
      const info = insert.run({
        taskId: entry.taskId,
        generation: entry.generation,
        attempt: entry.attempt,
        step: entry.step,
        kind: entry.kind,
        callId: entry.callId ?? null,
        name: entry.name,
        intent: JSON.stringify(entry.intent),
        outcome: finished ? JSON.stringify(entry.outcome) : null,
        state: entry.state ?? (finished ? 'done' : 'started'),
        now: at,
        finished: finished ? at : null,
      });
      return Number(info.lastInsertRowid);
    },

    finish(seq: number, state: JournalState, outcome: unknown): void {
      update.run(state, outcome === undefined ? null : JSON.stringify(outcome), now(), seq);
    },
  };
}

/** The assistant message a finished LLM entry stands for. */
export function assistantMessage(outcome: LlmOutcome): ChatMessage {
  return {
    role: 'assistant',
    content: outcome.content,
    ...(outcome.tool_calls.length > 0 ? { tool_calls: outcome.tool_calls } : {}),
  };
}
