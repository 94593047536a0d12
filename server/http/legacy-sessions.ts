/**
 * 2025-era clients (protocol 2025-11-25 and earlier) with sessions: one McpServer and one streamable HTTP
 * transport per session, so server-to-client requests (elicitation, sampling) and notifications
 * (resources/updated) reach them over the session's SSE stream. Each session keeps a bounded event store, so
 * a client whose stream drops resumes it with Last-Event-ID instead of losing a result (SEP-1699).
 *
 * Security: a session belongs to the token that opened it; another token presenting its id gets 404, exactly
 * as for an unknown session. Sessions are capped and expire when idle.
 */
import { randomUUID } from 'node:crypto';
import type { McpServer } from '@modelcontextprotocol/server';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import type { Request, Response } from 'express';
import type { ToolProfile } from '../../protocol/tool-contract.js';
import type { Principal } from '../mcp/principal.js';
import { createSessionEventStore } from './event-store.js';
import { JSON_RPC, sendJsonRpcError } from './json-rpc-errors.js';

/** How long a client waits before reconnecting a dropped or closed SSE stream (the SSE `retry` field). */
export const SSE_RETRY_MS = 1000;

interface Session {
  id: string;
  principal: Principal;
  server: McpServer;
  transport: NodeStreamableHTTPServerTransport;
  lastSeen: number;
}

export interface SessionCaller {
  principal: Principal;
  profile: ToolProfile;
}

export interface LegacySessionOptions {
  createServer: (caller: SessionCaller) => McpServer;
  maxSessions: () => number;
  idleMs: () => number;
}

export function createLegacySessions(options: LegacySessionOptions) {
  const sessions = new Map<string, Session>();

  const closeSession = async (session: Session): Promise<void> => {
    sessions.delete(session.id);
    await session.transport.close().catch(() => undefined);
    await session.server.close().catch(() => undefined);
  };

  const sweep = setInterval(() => {
    const cutoff = Date.now() - options.idleMs();
    for (const session of sessions.values()) {
      if (session.lastSeen < cutoff) void closeSession(session);
    }
  }, 60_000);
  sweep.unref();

  const isInitialize = (body: unknown): boolean =>
    body !== null &&
    typeof body === 'object' &&
    !Array.isArray(body) &&
    (body as { method?: unknown }).method === 'initialize';

  return {
    get size(): number {
      return sessions.size;
    },

    async handle(req: Request, res: Response, caller: SessionCaller): Promise<void> {
      const { principal } = caller;
      const header = req.headers['mcp-session-id'];
      const sessionId = Array.isArray(header) ? header[0] : header;
      if (sessionId !== undefined) {
        const session = sessions.get(sessionId);
        if (!session || session.principal.name !== principal.name) {
          sendJsonRpcError(
            res,
            404,
            JSON_RPC.notFound,
            'Session not found: it expired or belongs to another token. Initialize a new session.',
          );
          return;
        }
        session.lastSeen = Date.now();
        await session.transport.handleRequest(req, res, req.body);
        return;
      }
      if (req.method !== 'POST' || !isInitialize(req.body)) {
        sendJsonRpcError(
          res,
          400,
          JSON_RPC.invalidRequest,
          'Bad Request: this request needs an Mcp-Session-Id header (send initialize first), or use protocol 2026-07-28.',
        );
        return;
      }
      if (sessions.size >= options.maxSessions()) {
        // Make room by dropping the least recently used session rather than refusing new clients.
        const oldest = [...sessions.values()].sort((a, b) => a.lastSeen - b.lastSeen)[0];
        if (oldest) await closeSession(oldest);
      }
      const server = options.createServer(caller);
      const transport = new NodeStreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        // Resumability costs about 1 ms per POST: after the priming event the node adapter (@hono/node-server)
        // waits one timer tick for the rest of the stream. The 2026-07-28 path has no sessions and no store.
        eventStore: createSessionEventStore(),
        retryInterval: SSE_RETRY_MS,
        onsessioninitialized: id => {
          sessions.set(id, { id, principal, server, transport, lastSeen: Date.now() });
        },
        onsessionclosed: id => {
          const session = sessions.get(id);
          if (session) void closeSession(session);
        },
      });
      transport.onclose = () => {
        const id = transport.sessionId;
        if (id !== undefined) sessions.delete(id);
      };
      await server.connect(transport);
      await transport.handleRequest(req, res, req.body);
    },

    async closeAll(): Promise<void> {
      clearInterval(sweep);
      await Promise.all([...sessions.values()].map(closeSession));
    },
  };
}
