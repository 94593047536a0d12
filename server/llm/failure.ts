/**
 * What a failed model call means for the next move: retry the same model (rate limits, server errors,
 * timeouts, dropped connections, malformed replies), go straight to the next model (the model is unknown or
 * refuses the request), or stop (the key is refused, or the caller cancelled).
 */
import { parseRetryAfter } from './backoff.js';
import type { OpenAISdk } from './openai-sdk.js';

export type FailureKind = 'retry' | 'next_model' | 'fatal' | 'cancelled';

export interface Failure {
  kind: FailureKind;
  /** One line for logs and the task log. */
  reason: string;
  status?: number | undefined;
  retryAfterMs?: number | undefined;
  /** Nothing answered at all (connection refused, DNS, reset). */
  unreachable: boolean;
  /** The server refused the credentials. */
  auth: boolean;
}

/** A reply that arrived but cannot be used (invalid JSON, no choices). It may still have been billed. */
export class MalformedReplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedReplyError';
  }
}

export interface AbortCauses {
  cancelled: boolean;
  timedOut: boolean;
  timeoutMs: number;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The SDK's error classes (the SDK is loaded by the time a call has failed). */
export type SdkErrors = Pick<
  OpenAISdk,
  'APIConnectionError' | 'APIConnectionTimeoutError' | 'APIError' | 'APIUserAbortError'
>;

export function classifyFailure(error: unknown, causes: AbortCauses, sdk: SdkErrors): Failure {
  const { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } = sdk;
  const base = { unreachable: false, auth: false };
  if (causes.cancelled) return { ...base, kind: 'cancelled', reason: 'cancelled' };
  if (causes.timedOut || error instanceof APIConnectionTimeoutError) {
    return { ...base, kind: 'retry', reason: `no reply within ${Math.round(causes.timeoutMs / 1000)} s` };
  }
  if (error instanceof APIUserAbortError) return { ...base, kind: 'cancelled', reason: 'cancelled' };
  if (error instanceof MalformedReplyError || error instanceof SyntaxError) {
    return { ...base, kind: 'retry', reason: `malformed reply: ${messageOf(error)}` };
  }
  if (error instanceof APIConnectionError) {
    const cause = (error.cause as { code?: string; message?: string } | undefined) ?? {};
    const detail = cause.code ?? cause.message ?? error.message;
    return { ...base, kind: 'retry', reason: `connection failed (${detail})`, unreachable: true };
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const status = error.status;
    const reason = `HTTP ${status}: ${error.message.replace(/^\d{3}\s*/, '').slice(0, 300)}`;
    if (status === 401 || status === 403) return { ...base, kind: 'fatal', reason, status, auth: true };
    if (status === 408 || status === 409 || status === 429 || status >= 500) {
      return { ...base, kind: 'retry', reason, status, retryAfterMs: parseRetryAfter(error.headers) };
    }
    return { ...base, kind: 'next_model', reason, status };
  }
  if (
    error instanceof Error &&
    /fetch failed|ECONNREFUSED|ECONNRESET|ENOTFOUND|socket/i.test(error.message)
  ) {
    return { ...base, kind: 'retry', reason: `connection failed (${error.message})`, unreachable: true };
  }
  return { ...base, kind: 'retry', reason: messageOf(error) };
}
