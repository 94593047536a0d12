/**
 * A stateless MCP client for one-shot callers (the `az` CLI): protocol revision 2026-07-28 over Streamable
 * HTTP, where every request is self-contained — no initialize, no session, no server/discover needed — so a
 * tool call is exactly one POST.
 *
 * Why not the SDK's Client here: measured on `az task list`, the SDK's first call costs ~60 ms of CPU before
 * any byte is sent (building its whole catalogue of result schemas, loading fetch's internals), which is more
 * than bare Node's start-up. This client speaks the same wire format for the one method it needs
 * (tools/call: the `_meta` envelope, the MCP-Protocol-Version / Mcp-Method / Mcp-Name headers, a JSON or SSE
 * answer, notifications/progress on the SSE stream) and parses results with the same contracts and error
 * mapping as `AzClient`. Anything else — and any server that does not speak 2026-07-28 — goes through the
 * SDK (the caller falls back on `UnsupportedEraError`).
 */
import { parseToolResult, type CallOptions, type ToolCaller } from './tool-result.js';
import { AppError } from './errors.js';
import { checkHeaders, InvalidHeaderError, postHttp1, type Http1Handlers } from './http1-post.js';
import type { ToolContract, ToolInput, ToolOutput } from './tool-contract.js';

export const STATELESS_PROTOCOL_VERSION = '2026-07-28';

/** The server does not serve 2026-07-28 (or not statelessly): use a negotiating client instead. */
export class UnsupportedEraError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedEraError';
  }
}

interface JsonRpcResponse {
  jsonrpc: '2.0';
  id?: number | string | null;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
  method?: string;
  params?: Record<string, unknown>;
}

export interface StatelessHttpClientOptions {
  url: URL;
  token: string;
  clientInfo: { name: string; version: string };
  /** Extra headers on every request (e.g. X-AZ-Tool-Profile). */
  headers?: Record<string, string>;
  /** Check results against the tool contracts (default true; see ParseOptions in tool-result.ts). */
  validateResults?: boolean;
}

const UNSUPPORTED_VERSION = -32022;

function statusError(status: number, body: string, url: URL): AppError {
  let message = body.trim().slice(0, 300);
  try {
    const parsed = JSON.parse(body) as JsonRpcResponse;
    if (parsed.error?.message) message = parsed.error.message;
  } catch {
    // Not JSON: keep the text.
  }
  if (status === 401) {
    return new AppError('UNAUTHORIZED', `${url.href} refused the token: ${message}`, {
      hint: 'Check AZ_TOKEN, or the token file in AZ_HOME.',
    });
  }
  if (status === 403) return new AppError('PERMISSION_DENIED', `${url.href}: ${message}`);
  if (status === 404) {
    return new AppError('UNAVAILABLE', `no MCP endpoint at ${url.href} (${message})`, {
      hint: 'The endpoint of az serve is http://HOST:PORT/mcp.',
    });
  }
  return new AppError('UNAVAILABLE', `${url.href} answered HTTP ${status}: ${message}`);
}

/** Splits an SSE body into its `data:` payloads, calling `onMessage` for each complete event. */
function sseParser(onMessage: (data: string) => void): (chunk: string, end: boolean) => void {
  let buffer = '';
  return (chunk, end) => {
    buffer += chunk;
    const events = buffer.split(/\r?\n\r?\n/);
    buffer = end ? '' : (events.pop() ?? '');
    for (const event of events) {
      const data = event
        .split(/\r?\n/)
        .filter(line => line.startsWith('data:'))
        .map(line => line.slice(5).replace(/^ /, ''))
        .join('\n');
      if (data.trim() !== '') onMessage(data);
    }
  };
}

export class StatelessHttpClient implements ToolCaller {
  private readonly options: StatelessHttpClientOptions;
  private nextId = 1;

  constructor(options: StatelessHttpClientOptions) {
    this.options = options;
  }

  async call<C extends ToolContract>(
    contract: C,
    args: ToolInput<C>,
    options: CallOptions = {},
  ): Promise<ToolOutput<C>> {
    const id = this.nextId;
    this.nextId += 1;
    const progressToken = options.onProgress ? `az-${id}` : undefined;
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: {
        name: contract.name,
        arguments: args,
        _meta: {
          ...(progressToken === undefined ? {} : { progressToken }),
          'io.modelcontextprotocol/protocolVersion': STATELESS_PROTOCOL_VERSION,
          'io.modelcontextprotocol/clientInfo': this.options.clientInfo,
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    });
    const response = await this.post(body, contract.name, id, options);
    if (response.error) {
      if (response.error.code === UNSUPPORTED_VERSION) throw new UnsupportedEraError(response.error.message);
      throw new AppError(
        response.error.code === -32602 ? 'INVALID_INPUT' : 'INTERNAL',
        response.error.message,
      );
    }
    return parseToolResult(contract, response.result as Parameters<typeof parseToolResult>[1], {
      validate: this.options.validateResults ?? true,
    });
  }

  async close(): Promise<void> {
    // Stateless: nothing to tear down.
  }

  private post(body: string, toolName: string, id: number, options: CallOptions): Promise<JsonRpcResponse> {
    const { url, token, headers } = this.options;
    return new Promise<JsonRpcResponse>((resolve, reject) => {
      let settled = false;
      const finish = (error: Error | undefined, value?: JsonRpcResponse): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        request?.destroy();
        if (error) reject(error);
        else resolve(value as JsonRpcResponse);
      };
      const unreachable = (error: Error): AppError =>
        new AppError('UNAVAILABLE', `cannot reach ${url.href}: ${error.message}`, {
          cause: error,
          hint: 'Check that az serve runs (az status) and the URL.',
        });
      const onAbort = (): void => finish(new AppError('CANCELLED', `${toolName}: cancelled`));
      const timer = setTimeout(() => {
        finish(
          new AppError(
            'TIMEOUT',
            `${toolName}: no answer from ${url.href} within ${options.timeoutMs ?? 60_000} ms`,
          ),
        );
      }, options.timeoutMs ?? 60_000);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const reader = this.reader(id, options, finish, unreachable);
      let request: { destroy(): void } | undefined;
      try {
        request = send(
          url,
          {
            ...headers,
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            'mcp-protocol-version': STATELESS_PROTOCOL_VERSION,
            'mcp-method': 'tools/call',
            'mcp-name': toolName,
          },
          body,
          reader,
        );
      } catch (error) {
        finish(
          error instanceof InvalidHeaderError
            ? new AppError(
                error.header === 'authorization' ? 'UNAUTHORIZED' : 'INVALID_INPUT',
                error.header === 'authorization'
                  ? 'the token contains a line break or another character an HTTP header cannot carry; nothing was sent'
                  : `${error.message}; nothing was sent`,
                { hint: 'Check AZ_TOKEN, or the token file in AZ_HOME.' },
              )
            : unreachable(error as Error),
        );
      }
    });
  }

  /** Reads the answer: a JSON body, or an SSE stream with progress notifications before the result. */
  private reader(
    id: number,
    options: CallOptions,
    finish: (error: Error | undefined, value?: JsonRpcResponse) => void,
    unreachable: (error: Error) => AppError,
  ): Http1Handlers {
    const { url } = this.options;
    let status = 0;
    let text = '';
    let parse: ((chunk: string, end: boolean) => void) | undefined;
    return {
      onResponse: response => {
        status = response.status;
        if (
          status < 200 ||
          status >= 300 ||
          !/event-stream/.test(response.headers.get('content-type') ?? '')
        ) {
          return;
        }
        parse = sseParser(data => {
          let message: JsonRpcResponse;
          try {
            message = JSON.parse(data) as JsonRpcResponse;
          } catch {
            return;
          }
          if (message.method === 'notifications/progress' && options.onProgress) {
            const params = message.params as { progress: number; total?: number; message?: string };
            options.onProgress({ progress: params.progress, total: params.total, message: params.message });
            return;
          }
          if (message.id === id && (message.result !== undefined || message.error !== undefined)) {
            finish(undefined, message);
          }
        });
      },
      onData: chunk => {
        if (parse) parse(chunk, false);
        else text += chunk;
      },
      onEnd: () => {
        if (parse) {
          parse('', true);
          finish(new AppError('UNAVAILABLE', `${url.href} closed the stream before answering`));
          return;
        }
        if (status < 200 || status >= 300) {
          // A server without 2026-07-28 refuses a request that is not in a session: a protocol-version error,
          // or (servers with 2025 sessions) "Server not initialized" / a missing Mcp-Session-Id.
          if (status === 400 && /protocol version|2026-07-28|session|not initiali[sz]ed/i.test(text)) {
            finish(new UnsupportedEraError(text.slice(0, 200)));
            return;
          }
          finish(statusError(status, text, url));
          return;
        }
        try {
          finish(undefined, JSON.parse(text) as JsonRpcResponse);
        } catch {
          finish(new AppError('UNAVAILABLE', `${url.href} answered with something that is not JSON`));
        }
      },
      onError: error =>
        finish(
          status === 0
            ? unreachable(error)
            : new AppError('UNAVAILABLE', `the answer from ${url.href} broke off: ${error.message}`, {
                cause: error,
              }),
        ),
    };
  }
}

/** One POST: over a plain socket for http: (http1-post.ts), through node:https (loaded on first use) for https:. */
function send(
  url: URL,
  headers: Record<string, string>,
  body: string,
  handlers: Http1Handlers,
): { destroy(): void } {
  if (url.protocol !== 'https:') return postHttp1(url, headers, body, handlers);
  checkHeaders(headers);
  const req = process
    .getBuiltinModule('node:https')
    .request(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      res => {
        const responseHeaders = new Map<string, string>();
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        handlers.onResponse({ status: res.statusCode ?? 0, headers: responseHeaders });
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => handlers.onData(chunk));
        res.on('error', error => handlers.onError(error));
        res.on('end', () => handlers.onEnd());
      },
    );
  req.on('error', error => handlers.onError(error));
  req.end(body);
  return { destroy: () => req.destroy() };
}
