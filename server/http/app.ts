/**
 * The Streamable HTTP endpoint (`/mcp`) for both protocol eras:
 *
 *  - 2026-07-28 clients: stateless, one McpServer per request from the shared factory (createMcpHandler);
 *    live updates through subscriptions/listen streams fed by the change feed.
 *  - 2025-era clients: sessions (legacy-sessions.ts), so server-to-client requests and resource update
 *    notifications reach them.
 *
 * In front of both: Host/Origin validation, bearer authentication, a body limit, and JSON-RPC error bodies.
 */
import { createMcpHandler, isLegacyRequest, type AuthInfo } from '@modelcontextprotocol/server';
import { toNodeHandler, toWebRequest } from '@modelcontextprotocol/node';
import express, { type NextFunction, type Request, type Response } from 'express';
import { TOOL_PROFILES, type ToolProfile } from '../../protocol/tool-contract.js';
import type { Core } from '../core.js';
import { createMcpServerInstance } from '../mcp/create-mcp-server.js';
import type { ToolRegistry } from '../mcp/register-tools.js';
import { hasQueryToken, readBearer, type TokenResolver } from './auth.js';
import { hostGuard } from './host-guard.js';
import { JSON_RPC, sendJsonRpcError } from './json-rpc-errors.js';
import { createLegacySessions, type SessionCaller } from './legacy-sessions.js';

export const MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface HttpAppOptions {
  core: Core;
  registry: ToolRegistry;
  resolveToken: TokenResolver;
  allowedHosts: readonly string[];
  allowedOrigins: readonly string[];
}

type Caller = SessionCaller;

type AuthedRequest = Request & { auth?: AuthInfo; caller?: Caller };

const CHALLENGE = 'Bearer realm="az-os"';

function profileOf(req: Request, fallback: ToolProfile): ToolProfile | undefined {
  const header = req.headers['x-az-tool-profile'];
  const query = typeof req.query.tools === 'string' ? req.query.tools : undefined;
  const requested = (Array.isArray(header) ? header[0] : header) ?? query;
  if (requested === undefined || requested === '') return fallback;
  return (TOOL_PROFILES as readonly string[]).includes(requested) ? (requested as ToolProfile) : undefined;
}

function webHeaders(req: Request): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  return headers;
}

export function createHttpApp(options: HttpAppOptions) {
  const { core, registry, resolveToken } = options;

  const modern = createMcpHandler(
    ctx => {
      const caller = ctx.authInfo?.extra?.caller as Caller;
      return createMcpServerInstance(core, registry, { ...caller, liveUpdates: 'none', era: ctx.era });
    },
    {
      legacy: 'reject',
      maxRequestBodySize: MAX_BODY_BYTES,
      onerror: error => console.error('mcp http:', error.message),
    },
  );
  const modernNode = toNodeHandler(modern, {
    maxRequestBodySize: MAX_BODY_BYTES,
    onerror: error => console.error('mcp http adapter:', error.message),
  });
  const detachFeed = core.feed.subscribe(uri => modern.notify.resourceUpdated(uri));

  const sessions = createLegacySessions({
    // The tool profile is fixed when the session opens.
    createServer: caller =>
      createMcpServerInstance(core, registry, { ...caller, liveUpdates: 'subscribed', era: 'legacy' }),
    maxSessions: () => core.config().config.server.max_sessions,
    idleMs: () => core.config().config.server.session_idle_minutes * 60_000,
  });

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');
  app.use(hostGuard({ allowedHosts: options.allowedHosts, allowedOrigins: options.allowedOrigins }));

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', name: 'az-os', version: core.version });
  });

  const authenticate = (req: AuthedRequest, res: Response, next: NextFunction): void => {
    const url = new URL(req.originalUrl, 'http://localhost');
    if (hasQueryToken(url)) {
      // Security: tokens in URLs leak into logs and shell history; refuse rather than ignore.
      sendJsonRpcError(
        res,
        400,
        JSON_RPC.invalidRequest,
        'Tokens are not accepted in the URL; send them in the Authorization: Bearer header.',
      );
      return;
    }
    const bearer = readBearer(req.headers.authorization);
    if (!bearer.ok) {
      const message =
        bearer.reason === 'missing'
          ? 'Unauthorized: send Authorization: Bearer TOKEN (the token is in AZ_HOME/token).'
          : 'Unauthorized: the Authorization header must be "Bearer TOKEN".';
      sendJsonRpcError(res, 401, JSON_RPC.unauthorized, message, { 'WWW-Authenticate': CHALLENGE });
      return;
    }
    const principal = resolveToken(bearer.token);
    if (!principal) {
      sendJsonRpcError(
        res,
        401,
        JSON_RPC.unauthorized,
        'Unauthorized: the token is not valid (revoked or mistyped).',
        {
          'WWW-Authenticate': `${CHALLENGE}, error="invalid_token"`,
        },
      );
      return;
    }
    const profile = profileOf(req, core.config().config.server.tool_profile);
    if (!profile) {
      sendJsonRpcError(
        res,
        400,
        JSON_RPC.invalidRequest,
        `Unknown tool profile; use one of ${TOOL_PROFILES.join(', ')}.`,
      );
      return;
    }
    req.caller = { principal, profile };
    req.auth = {
      token: bearer.token,
      clientId: principal.name,
      scopes: [principal.role],
      extra: { caller: req.caller },
    };
    next();
  };

  const jsonBody = express.json({ limit: MAX_BODY_BYTES, type: ['application/json', 'application/*+json'] });

  app.all('/mcp', authenticate, jsonBody, (req: AuthedRequest, res: Response, next: NextFunction) => {
    const caller = req.caller as Caller;
    void (async () => {
      // With a parsed body the SDK classifies from the value, so the probe needs only method and headers
      // (copying the body into a web Request cost measurable time per call); otherwise it reads the stream.
      const probe =
        req.body === undefined
          ? await toWebRequest(req)
          : new Request(`http://localhost${req.originalUrl}`, {
              method: req.method,
              headers: webHeaders(req),
            });
      if (await isLegacyRequest(probe, req.body, { maxRequestBodySize: MAX_BODY_BYTES })) {
        await sessions.handle(req, res, caller);
        return;
      }
      await modernNode(req, res, req.body);
    })().catch(next);
  });

  app.use((_req: Request, res: Response) => {
    sendJsonRpcError(res, 404, JSON_RPC.notFound, 'Not found: the MCP endpoint is /mcp.');
  });

  // Express calls this for body-parser failures and anything a route throws.
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') {
      sendJsonRpcError(
        res,
        413,
        JSON_RPC.tooLarge,
        `Request body too large: the limit is ${MAX_BODY_BYTES / 1024 / 1024} MB.`,
      );
      return;
    }
    if (type === 'entity.parse.failed') {
      sendJsonRpcError(res, 400, JSON_RPC.parseError, 'Parse error: the request body is not valid JSON.');
      return;
    }
    if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
      sendJsonRpcError(res, 415, JSON_RPC.invalidRequest, 'Unsupported encoding: send UTF-8 JSON.');
      return;
    }
    console.error('http request failed:', error);
    sendJsonRpcError(res, 500, JSON_RPC.internalError, 'Internal error: the server log has the details.');
  });

  return {
    app,
    sessions,
    async close(): Promise<void> {
      detachFeed();
      await sessions.closeAll();
      await modern.close();
    },
  };
}
