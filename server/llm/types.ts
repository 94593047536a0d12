/**
 * The gateway's own message shapes: OpenAI chat format reduced to what the agent uses. They are what the
 * journal stores, so a resumed task does not depend on the SDK's types.
 */
import type { TokenUsage } from '../cost/call-cost.js';

export interface ToolCallRequest {
  id: string;
  /** The tool name as the model saw it (namespaced). */
  name: string;
  /** JSON text exactly as the model produced it (it may be invalid). */
  arguments: string;
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: ToolCallRequest[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface LlmRequest {
  messages: readonly ChatMessage[];
  tools?: readonly ToolSpec[];
  /** A route (default, cheap, strong) or a model name; the default route when omitted. */
  route?: string | null | undefined;
  maxOutputTokens?: number;
}

/** One reply the provider produced (and may have billed), usable or not. */
export interface BilledAttempt {
  requestedModel: string;
  model: string;
  usage: TokenUsage | undefined;
  proxyCostHeader: string | null;
  usageCost: unknown;
}

export interface LlmReply {
  content: string | null;
  toolCalls: ToolCallRequest[];
  finishReason: string | null;
  /** The model that answered, as the provider named it. */
  model: string;
  requestedModel: string;
  usage: TokenUsage | undefined;
  /** Every reply received, including ones rejected as malformed: each may have been billed. */
  billed: BilledAttempt[];
  attempts: number;
}

export type GatewayEvent =
  | { type: 'retry'; model: string; attempt: number; delayMs: number; reason: string }
  | { type: 'fallback'; from: string; to: string; reason: string };
