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
import type { IncomingMessage, request as httpRequest } from 'node:http';
import { parseToolResult, type CallOptions, type ToolCaller } from './tool-result.js';
import { AppError } from './errors.js';
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
    // Loaded on the first call, not at import: node:http, and node:https (with TLS and crypto) only for an https
    // URL — a loopback server is plain HTTP, and an in-process command never makes an HTTP call.
    const send: typeof httpRequest =
      this.options.url.protocol === 'https:'
        ? process.getBuiltinModule('node:https').request
        : process.getBuiltinModule('node:http').request;
    const response = await this.post(send, body, contract.name, id, options);
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

  private post(
    send: typeof httpRequest,
    body: string,
    toolName: string,
    id: number,
    options: CallOptions,
  ): Promise<JsonRpcResponse> {
    const { url, token, headers } = this.options;
    return new Promise<JsonRpcResponse>((resolve, reject) => {
      let settled = false;
      const finish = (error: Error | undefined, value?: JsonRpcResponse): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve(value as JsonRpcResponse);
      };
      const req = send(
        url,
        {
          method: 'POST',
          headers: {
            ...headers,
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            'content-length': Buffer.byteLength(body),
            'mcp-protocol-version': STATELESS_PROTOCOL_VERSION,
            'mcp-method': 'tools/call',
            'mcp-name': toolName,
          },
        },
        (res: IncomingMessage) => this.read(res, id, options, finish),
      );
      const onAbort = (): void => {
        req.destroy();
        finish(new AppError('CANCELLED', `${toolName}: cancelled`));
      };
      const timer = setTimeout(() => {
        req.destroy();
        finish(
          new AppError(
            'TIMEOUT',
            `${toolName}: no answer from ${url.href} within ${options.timeoutMs ?? 60_000} ms`,
          ),
        );
      }, options.timeoutMs ?? 60_000);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', error => {
        finish(
          new AppError('UNAVAILABLE', `cannot reach ${url.href}: ${error.message}`, {
            cause: error,
            hint: 'Check that az serve runs (az status) and the URL.',
          }),
        );
      });
      req.end(body);
    });
  }

  private read(
    res: IncomingMessage,
    id: number,
    options: CallOptions,
    finish: (error: Error | undefined, value?: JsonRpcResponse) => void,
  ): void {
    const status = res.statusCode ?? 0;
    const type = String(res.headers['content-type'] ?? '');
    res.setEncoding('utf8');
    if (status < 200 || status >= 300 || !/event-stream/.test(type)) {
      let text = '';
      res.on('data', chunk => (text += chunk));
      res.on('error', error => finish(error));
      res.on('end', () => {
        if (status < 200 || status >= 300) {
          // A server without 2026-07-28 refuses a request that is not in a session: a protocol-version error,
          // or (servers with 2025 sessions) "Server not initialized" / a missing Mcp-Session-Id.
          if (status === 400 && /protocol version|2026-07-28|session|not initiali[sz]ed/i.test(text)) {
            finish(new UnsupportedEraError(text.slice(0, 200)));
            return;
          }
          finish(statusError(status, text, this.options.url));
          return;
        }
        try {
          finish(undefined, JSON.parse(text) as JsonRpcResponse);
        } catch {
          finish(
            new AppError('UNAVAILABLE', `${this.options.url.href} answered with something that is not JSON`),
          );
        }
      });
      return;
    }
    const parse = sseParser(data => {
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
        res.destroy();
      }
    });
    res.on('data', chunk => parse(chunk as string, false));
    res.on('error', error => finish(error));
    res.on('end', () => {
      parse('', true);
      finish(new AppError('UNAVAILABLE', `${this.options.url.href} closed the stream before answering`));
    });
  }
}
