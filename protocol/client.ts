/**
 * The typed client facade: every UI (CLI, dashboard, tests) calls AZ-OS through this, over any MCP transport.
 *
 * `call(contract, args)` sends `tools/call`, parses `structuredContent` with the contract's output schema, and
 * turns an `isError` result back into the `AppError` the server threw — so callers handle one error type.
 */
import type { CallToolResult, Client, ReadResourceResult } from '@modelcontextprotocol/client';
import { ProtocolError, SdkError } from '@modelcontextprotocol/client';
import { AppError, isAppError } from './errors.js';
import type { ToolContract, ToolInput, ToolOutput } from './tool-contract.js';
import { parseToolResult, type CallOptions, type ToolCaller } from './tool-result.js';

export { parseToolResult, type CallOptions, type ToolCaller } from './tool-result.js';

export class AzClient implements ToolCaller {
  readonly sdk: Client;
  private readonly onClose: (() => Promise<void>) | undefined;

  constructor(sdk: Client, onClose?: () => Promise<void>) {
    this.sdk = sdk;
    this.onClose = onClose;
  }

  async call<C extends ToolContract>(
    contract: C,
    args: ToolInput<C>,
    options: CallOptions = {},
  ): Promise<ToolOutput<C>> {
    let result: CallToolResult;
    try {
      result = (await this.sdk.callTool(
        { name: contract.name, arguments: args as Record<string, unknown> },
        {
          signal: options.signal,
          timeout: options.timeoutMs,
          onprogress: options.onProgress,
          resetTimeoutOnProgress: options.onProgress !== undefined,
        },
      )) as CallToolResult;
    } catch (error) {
      throw toAppError(error, contract.name);
    }
    return parseToolResult(contract, result);
  }

  async readResource(uri: string, options: CallOptions = {}): Promise<ReadResourceResult> {
    try {
      return await this.sdk.readResource({ uri }, { signal: options.signal, timeout: options.timeoutMs });
    } catch (error) {
      throw toAppError(error, uri);
    }
  }

  async close(): Promise<void> {
    await this.sdk.close().catch(() => undefined);
    await this.onClose?.();
  }
}

/** Maps transport and JSON-RPC failures to AppErrors with codes the CLI knows. */
export function toAppError(error: unknown, what: string): AppError {
  if (isAppError(error)) return error;
  if (error instanceof ProtocolError) {
    // -32602 invalid params covers unknown tools and rejected arguments.
    if (error.code === -32602) return new AppError('INVALID_INPUT', error.message, { cause: error });
    if (error.code === -32601) {
      return new AppError('INVALID_INPUT', `${what}: method not supported by this server`, { cause: error });
    }
    return new AppError('INTERNAL', `${what}: ${error.message}`, { cause: error });
  }
  if (error instanceof SdkError) {
    const message = error.message;
    if (/timed? ?out/i.test(message)) return new AppError('TIMEOUT', `${what}: ${message}`, { cause: error });
    if (/\b401\b|unauthori[sz]ed/i.test(message)) {
      return new AppError('UNAUTHORIZED', `${what}: the server refused the token`, {
        cause: error,
        hint: 'Check AZ_TOKEN or the token file in AZ_HOME.',
      });
    }
    if (/\b403\b|forbidden/i.test(message)) {
      return new AppError('PERMISSION_DENIED', `${what}: ${message}`, { cause: error });
    }
    return new AppError('UNAVAILABLE', `${what}: ${message}`, { cause: error });
  }
  if (error instanceof Error && error.name === 'AbortError') {
    return new AppError('CANCELLED', `${what}: cancelled`, { cause: error });
  }
  if (error instanceof Error && /ECONNREFUSED|ECONNRESET|fetch failed|socket/i.test(error.message)) {
    return new AppError('UNAVAILABLE', `${what}: the server is not reachable (${error.message})`, {
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('INTERNAL', `${what}: ${message}`, { cause: error });
}
