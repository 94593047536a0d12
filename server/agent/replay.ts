/**
 * Replaying the journal: the conversation so far, rebuilt from what was recorded (nothing is re-run), and
 * what is left to do — tool calls the last model reply asked for that never finished, and which of those
 * cannot safely run again because they may have taken effect already.
 */
import type { ChatMessage, ToolCallRequest } from '../llm/types.js';
import {
  assistantMessage,
  type ContextOutcome,
  type JournalEntry,
  type LlmOutcome,
  type ToolIntent,
  type ToolOutcome,
} from './journal.js';
import { createRepeatTracker, type RepeatTracker } from './repeat-tracker.js';

export interface UnfinishedCall {
  call: ToolCallRequest;
  entry: JournalEntry;
  intent: ToolIntent;
}

export interface ReplayState {
  /** Messages after the system and user messages. */
  messages: ChatMessage[];
  context: ContextOutcome | undefined;
  /** LLM calls that finished (the last step number). */
  step: number;
  llmCalls: number;
  toolCalls: number;
  /** Tool calls of the last reply that still need a result, in order. */
  pending: ToolCallRequest[];
  /** Of `pending`: calls with an intent but no result (the process stopped during them). */
  unfinished: UnfinishedCall[];
  /** The last reply had no tool calls: the task's answer. */
  final: string | undefined;
  repeats: RepeatTracker;
}

export function replayJournal(entries: readonly JournalEntry[]): ReplayState {
  const state: ReplayState = {
    messages: [],
    context: undefined,
    step: 0,
    llmCalls: 0,
    toolCalls: 0,
    pending: [],
    unfinished: [],
    final: undefined,
    repeats: createRepeatTracker(),
  };
  // The latest entry per tool call id of the current step (a rerun supersedes an interrupted intent).
  let latest = new Map<string, JournalEntry>();
  const flushStep = (): void => {
    for (const call of state.pending) {
      const entry = latest.get(call.id);
      if (entry && (entry.state === 'done' || entry.state === 'skipped')) {
        state.messages.push({
          role: 'tool',
          tool_call_id: call.id,
          content: (entry.outcome as ToolOutcome).text,
        });
      }
    }
  };
  for (const entry of entries) {
    if (entry.kind === 'context' && entry.state === 'done') {
      state.context = entry.outcome as ContextOutcome;
    } else if (entry.kind === 'llm' && entry.state === 'done') {
      flushStep();
      const outcome = entry.outcome as LlmOutcome;
      state.messages.push(assistantMessage(outcome));
      state.step = entry.step;
      state.llmCalls += 1;
      state.pending = outcome.tool_calls;
      state.final = outcome.tool_calls.length === 0 ? (outcome.content ?? '') : undefined;
      latest = new Map();
    } else if (entry.kind === 'tool' && entry.callId !== null) {
      latest.set(entry.callId, entry);
      if (entry.state === 'done' || entry.state === 'skipped') {
        state.toolCalls += 1;
        state.repeats.record(entry.name, (entry.intent as ToolIntent).arguments);
      }
    }
  }
  flushStep();
  const remaining: ToolCallRequest[] = [];
  for (const call of state.pending) {
    const entry = latest.get(call.id);
    if (entry && (entry.state === 'done' || entry.state === 'skipped')) continue;
    remaining.push(call);
    if (entry && (entry.state === 'started' || entry.state === 'interrupted')) {
      state.unfinished.push({ call, entry, intent: entry.intent as ToolIntent });
    }
  }
  state.pending = remaining;
  return state;
}

/** Unfinished calls that may have had an effect and must not simply run again. */
export function unsafeUnfinished(state: ReplayState): UnfinishedCall[] {
  return state.unfinished.filter(unfinished => !unfinished.intent.safe_to_repeat);
}
