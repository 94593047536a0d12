/**
 * The error contract shared by the server, the client facade and every UI.
 *
 * Inside the server an expected failure is an `AppError` with a stable string code. The MCP boundary turns it
 * into an `isError` tool result with `structuredContent.error = { code, message, hint? }`; the client facade
 * turns that back into an `AppError`, and the CLI maps the code to an exit code in one place.
 */
import * as z from 'zod';
import { lazySchema } from './lazy-schema.js';

export const ERROR_CODES = [
  'INVALID_INPUT',
  'NOT_FOUND',
  'ILLEGAL_TRANSITION',
  'CONFLICT',
  'CONFIG_INVALID',
  'UNAVAILABLE',
  'UNAUTHORIZED',
  'PERMISSION_DENIED',
  'BUDGET_EXCEEDED',
  'STEP_LIMIT',
  'TIMEOUT',
  'CANCELLED',
  'NEEDS_ATTENTION',
  'LLM_ERROR',
  'TOOL_FAILED',
  'INTERRUPTED',
  'INTERNAL',
] as const;

export const ErrorCodeSchema = lazySchema(() => z.enum(ERROR_CODES));
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ErrorPayloadSchema = lazySchema(() =>
  z.object({
    code: ErrorCodeSchema(),
    message: z.string(),
    hint: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
);
export type ErrorPayload = z.infer<ReturnType<typeof ErrorPayloadSchema>>;

export interface AppErrorOptions {
  /** What the user can do about it, when the message alone does not say. */
  hint?: string;
  /** Machine-readable context (valid choices, limits, ids). Never secrets. */
  details?: Record<string, unknown>;
  cause?: unknown;
  /** The server answered with this error (a tool's isError result), as opposed to a failure on the way there. */
  fromServer?: boolean;
}

/** An expected failure with a stable code. Messages say what was wrong; hints say what to do. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  /** True when the server answered with it: the connection works, whatever the code says. */
  readonly fromServer: boolean;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
    this.fromServer = options.fromServer ?? false;
  }

  toPayload(): ErrorPayload {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }

  static fromPayload(payload: ErrorPayload): AppError {
    return new AppError(payload.code, payload.message, {
      hint: payload.hint,
      details: payload.details,
      fromServer: true,
    });
  }
}

/**
 * True for AppErrors, including ones from another copy of this module (the bundled CLI and the server it loads
 * in-process each have their own), so checks never depend on `instanceof` across bundles.
 */
export function isAppError(error: unknown): error is AppError {
  if (error instanceof AppError) return true;
  return (
    error instanceof Error &&
    error.name === 'AppError' &&
    (ERROR_CODES as readonly string[]).includes((error as { code?: unknown }).code as string)
  );
}

/** Formats zod issues as one line per problem: `field: what is wrong`. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map(issue => {
      const path = issue.path.length === 0 ? '(arguments)' : issue.path.join('.');
      if (issue.code === 'unrecognized_keys') {
        return `${path}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map(k => `'${k}'`).join(', ')}`;
      }
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}
