/**
 * A server-side tool: a protocol contract plus the handler that implements it. Handlers receive validated
 * input and return plain data matching the contract's output schema; they throw AppError for expected
 * failures. MCP result shaping, role checks and error mapping happen once, in register-tools.ts.
 */
import type { ServerContext } from '@modelcontextprotocol/server';
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
