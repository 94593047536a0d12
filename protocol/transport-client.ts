/**
 * A minimal MCP client over a transport that is already connected to a server — the in-memory pair of an
 * in-process server — for one-shot callers (the `az` CLI when no server runs): the 2025-11-25 handshake, then
 * tools/call with progress notifications, cancellation (notifications/cancelled) and a time limit.
 *
 * Why not the SDK's Client here: loading it, with the JSON Schema validator it imports, costs about as much
 * as the rest of an in-process command (~40 ms, measured by bench/core.js and pinned by
 * test/cli/bundle.test.ts). Results are checked with the tool contracts (parseToolResult), as `AzClient` and
 * `StatelessHttpClient` do, unless the caller knows the server shares them (`validateResults: false`), and
 * JSON-RPC errors map to the same codes.
 */
import type { CallToolResult, JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import { AppError } from './errors.js';
import type { ToolContract, ToolInput, ToolOutput } from './tool-contract.js';
import { parseToolResult, type CallOptions, type ToolCaller } from './tool-result.js';

export const TRANSPORT_PROTOCOL_VERSION = '2025-11-25';
const DEFAULT_TIMEOUT_MS = 60_000;
const METHOD_NOT_FOUND = -32601;
const INVALID_PARAMS = -32602;

interface Pending {
  what: string;
  settle(error: AppError | undefined, result?: unknown): void;
  progressToken: string | undefined;
  onProgress: CallOptions['onProgress'];
}

/** Loose views of the messages this client reads (the transport delivers parsed JSON-RPC). */
interface Incoming {
  id?: string | number;
  method?: string;
  params?: Record<string, unknown>;
  result?: unknown;
  error?: { code: number; message: string };
}

function rpcError(error: { code: number; message: string }, what: string): AppError {
  if (error.code === INVALID_PARAMS) return new AppError('INVALID_INPUT', error.message);
  if (error.code === METHOD_NOT_FOUND) {
    return new AppError('INVALID_INPUT', `${what}: method not supported by this server`);
  }
  return new AppError('INTERNAL', `${what}: ${error.message}`);
}

export class TransportClient implements ToolCaller {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  private constructor(
    private readonly transport: Transport,
    private readonly onClose: (() => Promise<void>) | undefined,
    private readonly validateResults: boolean,
  ) {}

  /** Starts the transport and runs the handshake; on failure the transport is closed and onClose runs. */
  static async connect(
    transport: Transport,
    clientInfo: { name: string; version: string },
    onClose?: () => Promise<void>,
    options: { validateResults?: boolean } = {},
  ): Promise<TransportClient> {
    const client = new TransportClient(transport, onClose, options.validateResults ?? true);
    transport.onmessage = message => client.receive(message as Incoming);
    transport.onclose = () => client.fail('the server closed the connection');
    try {
      await transport.start();
      await client.request(
        'initialize',
        { protocolVersion: TRANSPORT_PROTOCOL_VERSION, capabilities: {}, clientInfo },
        {},
        'initialize',
      );
      await transport.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    } catch (error) {
      await client.close();
      throw error;
    }
    return client;
  }

  async call<C extends ToolContract>(
    contract: C,
    args: ToolInput<C>,
    options: CallOptions = {},
  ): Promise<ToolOutput<C>> {
    const result = await this.request(
      'tools/call',
      { name: contract.name, arguments: args },
      options,
      contract.name,
    );
    return parseToolResult(contract, result as CallToolResult, { validate: this.validateResults });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.fail('the client closed');
    this.closed = true;
    await this.transport.close().catch(() => undefined);
    await this.onClose?.();
  }

  private request(
    method: string,
    params: Record<string, unknown>,
    options: CallOptions,
    what: string,
  ): Promise<unknown> {
    if (this.closed) return Promise.reject(new AppError('UNAVAILABLE', `${what}: the client is closed`));
    const id = this.nextId;
    this.nextId += 1;
    const progressToken = options.onProgress ? `az-${id}` : undefined;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const { signal } = options;
      const settle = (error: AppError | undefined, result?: unknown): void => {
        if (!this.pending.delete(id)) return;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve(result);
      };
      // The server stops work it can stop when told the request is abandoned (a cancelled task run, a timeout).
      const abandon = (error: AppError, reason: string): void => {
        settle(error);
        this.transport
          .send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason } })
          .catch(() => undefined);
      };
      const onAbort = (): void => abandon(new AppError('CANCELLED', `${what}: cancelled`), 'cancelled');
      const timer = setTimeout(
        () => abandon(new AppError('TIMEOUT', `${what}: no answer within ${timeoutMs} ms`), 'timed out'),
        timeoutMs,
      );
      this.pending.set(id, { what, settle, progressToken, onProgress: options.onProgress });
      if (signal?.aborted) {
        onAbort();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      const message = {
        jsonrpc: '2.0' as const,
        id,
        method,
        params: progressToken === undefined ? params : { ...params, _meta: { progressToken } },
      };
      this.transport.send(message as JSONRPCMessage).catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        settle(new AppError('UNAVAILABLE', `${what}: the server is not reachable (${reason})`));
      });
    });
  }

  private receive(message: Incoming): void {
    if (message.method === undefined && message.id !== undefined) {
      const pending = this.pending.get(Number(message.id));
      if (!pending) return;
      if (message.error) pending.settle(rpcError(message.error, pending.what));
      else pending.settle(undefined, message.result);
      return;
    }
    if (message.method === 'notifications/progress') {
      const params = message.params as { progressToken?: unknown; progress: number; total?: number };
      const { message: text } = message.params as { message?: string };
      for (const pending of this.pending.values()) {
        if (pending.progressToken !== undefined && pending.progressToken === params.progressToken) {
          pending.onProgress?.({ progress: params.progress, total: params.total, message: text });
        }
      }
      return;
    }
    if (message.method !== undefined && message.id !== undefined) {
      // A request from the server: this client declared no capabilities, so only ping is answered.
      const reply: JSONRPCMessage =
        message.method === 'ping'
          ? { jsonrpc: '2.0', id: message.id, result: {} }
          : {
              jsonrpc: '2.0',
              id: message.id,
              error: { code: METHOD_NOT_FOUND, message: `${message.method} is not supported by this client` },
            };
      this.transport.send(reply).catch(() => undefined);
    }
  }

  private fail(reason: string): void {
    for (const pending of [...this.pending.values()]) {
      pending.settle(new AppError('UNAVAILABLE', `the in-process server is gone: ${reason}`));
    }
  }
}
