/**
 * What every MCP caller of AZ-OS shares, without depending on the SDK's runtime: call options, the ToolCaller
 * interface, and turning a tools/call result into the contract's output or the server's AppError.
 */
import type { CallToolResult } from '@modelcontextprotocol/client';
import { AppError, ErrorPayloadSchema, describeZodError } from './errors.js';
import type { ToolContract, ToolInput, ToolOutput } from './tool-contract.js';

export interface CallOptions {
  signal?: AbortSignal;
  /** Milliseconds before the request is abandoned (default: the SDK's 60 s). */
  timeoutMs?: number;
  onProgress?: (progress: { progress: number; total?: number; message?: string }) => void;
}

/** What a one-shot caller needs: typed tool calls and a close. Both AzClient and StatelessHttpClient provide it. */
export interface ToolCaller {
  call<C extends ToolContract>(
    contract: C,
    args: ToolInput<C>,
    options?: CallOptions,
  ): Promise<ToolOutput<C>>;
  close(): Promise<void>;
}

export interface ParseOptions {
  /**
   * Check a result against the contract's output schema (default true). Off only for a server built from the
   * same contracts (version.ts CONTRACTS_DIGEST; an in-process server): its results have the contract's shape
   * already, and checking them again would build the schemas — on `az task list` against a running server, a
   * tenth of the command's time (bench/core.js).
   */
  validate?: boolean;
}

/** A tools/call result as the contract's output, or the server's error as an AppError. */
export function parseToolResult<C extends ToolContract>(
  contract: C,
  result: CallToolResult,
  options: ParseOptions = {},
): ToolOutput<C> {
  if (result.isError) {
    const payload = ErrorPayloadSchema().safeParse(
      (result.structuredContent as { error?: unknown } | undefined)?.error,
    );
    if (payload.success) throw AppError.fromPayload(payload.data);
    const text = result.content
      .map(block => (block.type === 'text' ? block.text : ''))
      .join(' ')
      .trim();
    // The SDK reports schema failures as plain-text tool errors.
    const code = /validation error|invalid arguments/i.test(text) ? 'INVALID_INPUT' : 'TOOL_FAILED';
    throw new AppError(code, text || `${contract.name} failed without a message`);
  }
  if (options.validate === false) {
    const output = result.structuredContent;
    if (output === null || typeof output !== 'object') {
      throw new AppError('INTERNAL', `${contract.name} returned no structured result`, {
        hint: 'The server and the az command may be different versions; restart the server after upgrading.',
      });
    }
    return output as ToolOutput<C>;
  }
  const parsed = contract.output.safeParse(result.structuredContent);
  if (!parsed.success) {
    throw new AppError(
      'INTERNAL',
      `${contract.name} returned a result this client does not understand: ${describeZodError(parsed.error)}`,
      {
        hint: 'The server and the az command may be different versions; restart the server after upgrading.',
      },
    );
  }
  return parsed.data as ToolOutput<C>;
}
