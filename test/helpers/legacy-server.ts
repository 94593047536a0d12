/**
 * An MCP server over HTTP that speaks only the 2025 era (sessions, like MCP servers written before 2026-07-28),
 * serving a test runtime's tools: clients that start with a stateless 2026-07-28 call (the CLI, the dashboard)
 * must fall back to a negotiating SDK client. No authentication: the point is the protocol.
 */
import type { Runtime } from '../../server/compose.js';
import { createMcpServerInstance } from '../../server/mcp/create-mcp-server.js';

export async function startLegacyOnlyServer(
  runtime: Runtime,
): Promise<{ url: string; close(): Promise<void> }> {
  const { createServer } = await import('node:http');
  const { randomUUID } = await import('node:crypto');
  const { NodeStreamableHTTPServerTransport } = await import('@modelcontextprotocol/node');
  const sessions = new Map<string, InstanceType<typeof NodeStreamableHTTPServerTransport>>();
  const servers: { close(): Promise<void> }[] = [];
  const http = createServer((req, res) => {
    void (async () => {
      const id = req.headers['mcp-session-id'];
      let transport = typeof id === 'string' ? sessions.get(id) : undefined;
      if (!transport) {
        const created = new NodeStreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: sessionId => void sessions.set(sessionId, created),
        });
        const server = createMcpServerInstance(runtime.core, runtime.registry, {
          principal: { name: 'local:legacy-test', role: 'admin', via: 'http' },
          profile: 'all',
          liveUpdates: 'subscribed',
        });
        servers.push(server);
        await server.connect(created);
        transport = created;
      }
      await transport.handleRequest(req, res);
    })().catch(error => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    async close() {
      await Promise.all(servers.map(server => server.close().catch(() => undefined)));
      http.closeAllConnections();
      await new Promise(resolve => http.close(resolve));
    },
  };
}
