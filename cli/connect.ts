/**
 * Finding AZ-OS: the server named by --url or AZ_URL, else the running server of this home (server.json),
 * else an in-process server over the in-memory transport (protocol/transport-client.ts). Every path ends in an
 * MCP client.
 *
 * Over HTTP a command's calls go out as stateless 2026-07-28 requests (one POST each, see
 * protocol/stateless-http-client.ts). A server that does not speak that revision gets the SDK's negotiating
 * client instead; a server.json whose server is gone falls back to in-process.
 */
import type { AzClient } from '../protocol/client.js';
import type { CallOptions, ToolCaller } from '../protocol/tool-result.js';
import { findDaemon, readTokenFile } from '../protocol/daemon.js';
import { AppError } from '../protocol/errors.js';
import type { HomePaths } from '../protocol/home.js';
import { StatelessHttpClient, UnsupportedEraError } from '../protocol/stateless-http-client.js';
import type { ToolContract, ToolInput, ToolOutput } from '../protocol/tool-contract.js';
import { CONTRACTS_DIGEST, VERSION } from '../protocol/version.js';

export interface ConnectOptions {
  paths: HomePaths;
  env: Record<string, string | undefined>;
  url: string | undefined;
  home: string | undefined;
  profile: string | undefined;
}

export type Connection = { client: ToolCaller; via: 'http' | 'in-process'; url?: string };

const CLIENT_INFO = { name: 'az-cli', version: VERSION };
/** The CLI manages everything, so it asks for every tool (profiles bound only what a model sees). */
const PROFILE_HEADER = { 'X-AZ-Tool-Profile': 'all' };

function parseUrl(url: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new AppError('INVALID_INPUT', `'${url}' is not a URL`, {
      hint: 'Use the form http://127.0.0.1:7777/mcp.',
    });
  }
}

/** The SDK client, negotiating the protocol revision (2025-era servers included). */
async function connectNegotiating(url: URL, token: string): Promise<AzClient> {
  // The SDK loads only when it is needed: its import alone costs more than a stateless call.
  const [{ Client, StreamableHTTPClientTransport }, { AzClient }] = await Promise.all([
    import('@modelcontextprotocol/client'),
    import('../protocol/client.js'),
  ]);
  const client = new Client(CLIENT_INFO, { versionNegotiation: { mode: 'auto' }, capabilities: {} });
  await client.connect(
    new StreamableHTTPClientTransport(url, {
      requestInit: { headers: { Authorization: `Bearer ${token}`, ...PROFILE_HEADER } },
    }),
  );
  return new AzClient(client);
}

/**
 * An in-process server over the in-memory transport, with the small transport client (not the SDK's). The
 * server is this process's own code: its results are not checked against the contracts again.
 */
async function openInProcessClient(options: ConnectOptions): Promise<ToolCaller> {
  const [{ openInProcess }, { TransportClient }] = await Promise.all([
    import('../server/index.js'),
    import('../protocol/transport-client.js'),
  ]);
  const server = await openInProcess({ home: options.home, profile: options.profile, env: options.env });
  return TransportClient.connect(server.clientTransport, CLIENT_INFO, () => server.close(), {
    validateResults: false,
  });
}

function refused(error: unknown): boolean {
  const cause = error instanceof Error ? (error.cause as NodeJS.ErrnoException | undefined) : undefined;
  return cause?.code === 'ECONNREFUSED' || cause?.code === 'ECONNRESET';
}

/** Stateless calls first; the first call decides whether a fallback is needed. */
class HttpCaller implements ToolCaller {
  private delegate: ToolCaller | undefined;
  private readonly stateless: StatelessHttpClient;

  constructor(
    private readonly url: URL,
    private readonly token: string,
    private readonly inProcessFallback: (() => Promise<ToolCaller>) | undefined,
    validateResults: boolean,
  ) {
    this.stateless = new StatelessHttpClient({
      url,
      token,
      clientInfo: CLIENT_INFO,
      headers: PROFILE_HEADER,
      validateResults,
    });
  }

  async call<C extends ToolContract>(
    contract: C,
    args: ToolInput<C>,
    options?: CallOptions,
  ): Promise<ToolOutput<C>> {
    if (this.delegate) return this.delegate.call(contract, args, options);
    try {
      return await this.stateless.call(contract, args, options);
    } catch (error) {
      // Both fallbacks are safe to retry with: the request was refused before any tool ran.
      if (error instanceof UnsupportedEraError) {
        this.delegate = await connectNegotiating(this.url, this.token);
      } else if (this.inProcessFallback && refused(error)) {
        this.delegate = await this.inProcessFallback();
      } else {
        throw error;
      }
      return this.delegate.call(contract, args, options);
    }
  }

  async close(): Promise<void> {
    await this.delegate?.close();
  }
}

export async function connect(options: ConnectOptions): Promise<Connection> {
  const explicit = options.url ?? options.env.AZ_URL;
  const daemon = explicit === undefined ? findDaemon(options.paths) : undefined;
  const url = explicit ?? daemon?.url;
  if (url === undefined) return { client: await openInProcessClient(options), via: 'in-process' };
  const token = options.env.AZ_TOKEN ?? readTokenFile(options.paths);
  if (!token) {
    throw new AppError('UNAUTHORIZED', `no token to talk to ${url}`, {
      hint: `Set AZ_TOKEN, or run az db init to create ${options.paths.tokenFile}.`,
    });
  }
  // A server found through server.json that no longer answers is replaced by an in-process one; a URL the
  // user gave is not second-guessed.
  const fallback = explicit === undefined ? () => openInProcessClient(options) : undefined;
  // A server of this home built from the same contracts answers in their shape; any other is checked.
  const sameContracts = CONTRACTS_DIGEST !== undefined && daemon?.contracts === CONTRACTS_DIGEST;
  return { client: new HttpCaller(parseUrl(url), token, fallback, !sameContracts), via: 'http', url };
}
