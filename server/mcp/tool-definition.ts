/**
 * A server-side tool: a protocol contract plus the handler that implements it. Handlers receive validated
 * input and return plain data matching the contract's output schema; they throw AppError for expected
 * failures. MCP result shaping, role checks and error mapping happen once, in register-tools.ts.
 */
import type {
  ClientCapabilities,
  InputRequiredResult,
  RequestStateCodec,
  ServerContext,
} from '@modelcontextprotocol/server';
import type * as z from 'zod';
import type { ToolContract } from '../../protocol/tool-contract.js';
import type { Core } from '../core.js';
import type { Principal } from './principal.js';

/** A task's sandbox: set when the caller is the agent working on a task. */
export interface TaskScope {
  taskId: string;
  /** The task's workspace: file and shell tools are confined to it. */
  workspace: string;
}

export interface ToolContext {
  core: Core;
  principal: Principal;
  /** Present when the agent calls on behalf of a task; outside clients have none. */
  scope: TaskScope | undefined;
  signal: AbortSignal;
  /** Sends notifications/progress when the client asked for it (a progressToken); otherwise a no-op. */
  progress(progress: number, total?: number, message?: string): Promise<void>;
  /** The raw SDK context, for elicitation and sampling on 2025-era connections. */
  mcp: ServerContext;
  /**
   * Seals the `requestState` of an input_required result. The server verifies the echoed state before the
   * retried call reaches the handler, which then reads the payload from `mcp.mcpReq.requestState()`.
   */
  requestState: RequestStateCodec;
  /** Tells the audit log which paths this call touched. */
  recordTargets(paths: readonly string[]): void;
  /** What the client declared it can do (elicitation…), on either protocol era. */
  clientCapabilities(): ClientCapabilities | undefined;
}

const INPUT_REQUIRED = Symbol.for('az-os.input-required');

/**
 * Thrown by a handler that needs the user's answer before it can go on (an `ask` permission): the tool
 * registration returns `result` (an input_required result) instead of an error. The SDK delivers the embedded
 * elicitation — to a 2026-07-28 client in the result, on a 2025-era connection as a real server-to-client
 * request — and calls the handler again with the answer in `mcp.mcpReq.inputResponses`.
 */
export class InputRequiredSignal {
  readonly [INPUT_REQUIRED] = true;
  readonly result: InputRequiredResult;
  constructor(result: InputRequiredResult) {
    this.result = result;
  }
}

/** Recognised by a brand rather than instanceof, so it works across bundles. */
export function isInputRequiredSignal(value: unknown): value is InputRequiredSignal {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[INPUT_REQUIRED] === true
  );
}

export interface ToolDefinition<C extends ToolContract = ToolContract> {
  contract: C;
  handler(
    args: z.output<C['input']>,
    context: ToolContext,
  ): Promise<z.input<C['output']>> | z.input<C['output']>;
}

/** Ties a handler to its contract with full type inference. */
export function implementTool<C extends ToolContract>(
  contract: C,
  handler: ToolDefinition<C>['handler'],
): ToolDefinition<C> {
  return { contract, handler };
}
