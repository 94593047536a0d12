/**
 * The one error type of tools/: an expected failure with a stable code, a message that says what was refused
 * and why, and a hint that says what to do. tools/ knows nothing of MCP; the server maps a ToolError to its
 * AppError with the same code (server/agent-tools/run-tool.ts). Anything else a tool throws is a bug.
 */

export const TOOL_ERROR_CODES = [
  'INVALID_INPUT',
  'PERMISSION_DENIED',
  'NOT_FOUND',
  'CONFLICT',
  'TOOL_FAILED',
  'TIMEOUT',
  'CANCELLED',
  'UNAVAILABLE',
] as const;

export type ToolErrorCode = (typeof TOOL_ERROR_CODES)[number];

export interface ToolErrorOptions {
  hint?: string | undefined;
  details?: Record<string, unknown> | undefined;
  cause?: unknown;
}

export class ToolError extends Error {
  readonly code: ToolErrorCode;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ToolErrorCode, message: string, options: ToolErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ToolError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
  }
}

export function isToolError(error: unknown): error is ToolError {
  return error instanceof ToolError;
}

/** The errno code of a Node.js system error, if it is one. */
export function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
