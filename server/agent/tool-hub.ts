/**
 * The agent's tool hub: the tools of every MCP connection, offered to the model under namespaced names, and
 * dispatch of the model's calls back to the right server. AZ-OS's own task-management and admin tools are
 * not offered (the agent does not manage tasks, budgets or configuration); the agent's operator role already
 * hides admin tools. Only offered tools can be called.
 */
import type { Tool } from '@modelcontextprotocol/client';
import { AGENT_HIDDEN_TOOLS } from './hidden-tools.js';
import type { Connection } from './mcp-connections.js';
import { exposedToolName, OWN_SERVER } from './tool-names.js';
import { boundText, toolResultText } from './tool-result-text.js';
import type { ToolSpec } from '../llm/types.js';

export interface HubTool {
  exposedName: string;
  server: string;
  tool: string;
  readOnly: boolean;
  /** Read-only or idempotent by its annotations: may be run again when its result was lost. */
  safeToRepeat: boolean;
  spec: ToolSpec;
}

export interface ToolCallOutcome {
  text: string;
  isError: boolean;
}

export interface ToolHub {
  tools: readonly HubTool[];
  specs: readonly ToolSpec[];
  find(exposedName: string): HubTool | undefined;
  /** Calls a tool on its server (by server and tool name, so a resumed call does not depend on today's names). */
  call(
    server: string,
    tool: string,
    args: Record<string, unknown>,
    options: { signal: AbortSignal; timeoutMs: number },
  ): Promise<ToolCallOutcome>;
  hasServer(server: string): boolean;
  close(): Promise<void>;
}

const MAX_DESCRIPTION = 2_000;

function parametersOf(tool: Tool): Record<string, unknown> {
  const { $schema: _schema, ...schema } = (tool.inputSchema ?? {}) as Record<string, unknown>;
  return { type: 'object', properties: {}, ...schema };
}

/**
 * AZ-OS's own tool list is the same for every task of a runtime: listed once, then reused — also by the tasks
 * that start while the first listing is in flight (a server starts up to `tasks.concurrency` at once, and each
 * tools/list result is a large validated message).
 */
export interface OwnToolsCache {
  tools?: Promise<Tool[]>;
}

export async function buildToolHub(
  connections: readonly Connection[],
  ownCache: OwnToolsCache = {},
): Promise<ToolHub> {
  const byServer = new Map(connections.map(connection => [connection.name, connection]));
  const lists = await Promise.all(
    connections.map(async connection => {
      if (connection.name !== OWN_SERVER)
        return { connection, tools: (await connection.client.listTools()).tools };
      if (!ownCache.tools) {
        const listing = connection.client.listTools().then(result => result.tools);
        ownCache.tools = listing;
        // A failed listing is not kept: the next task lists again.
        listing.catch(() => {
          if (ownCache.tools === listing) ownCache.tools = undefined;
        });
      }
      return { connection, tools: await ownCache.tools };
    }),
  );
  const definitions = new Map<string, Tool>();
  for (const { connection, tools: listed } of lists) {
    for (const tool of listed) definitions.set(`${connection.name}\u0000${tool.name}`, tool);
  }
  const taken = new Set<string>();
  const tools: HubTool[] = [];
  for (const { connection, tools: listed } of lists) {
    for (const tool of listed) {
      if (connection.name === OWN_SERVER && AGENT_HIDDEN_TOOLS.has(tool.name)) continue;
      const exposedName = exposedToolName(connection.name, tool.name, taken);
      taken.add(exposedName);
      const annotations = tool.annotations ?? {};
      // MCP defaults: not read-only, not idempotent.
      const readOnly = annotations.readOnlyHint === true;
      const description = `${tool.description ?? tool.title ?? tool.name}`.slice(0, MAX_DESCRIPTION);
      tools.push({
        exposedName,
        server: connection.name,
        tool: tool.name,
        readOnly,
        safeToRepeat: readOnly || annotations.idempotentHint === true,
        spec: { name: exposedName, description, parameters: parametersOf(tool) },
      });
    }
  }
  const index = new Map(tools.map(tool => [tool.exposedName, tool]));
  return {
    tools,
    specs: tools.map(tool => tool.spec),
    find: name => index.get(name),
    hasServer: server => byServer.has(server),
    async call(server, tool, args, { signal, timeoutMs }) {
      const connection = byServer.get(server);
      if (!connection) return { text: `Error: the MCP server ${server} is not connected`, isError: true };
      try {
        const result = await connection.client.callTool(
          { name: tool, arguments: args },
          { signal, timeout: timeoutMs, toolDefinition: definitions.get(`${server}\u0000${tool}`) },
        );
        const outcome = result as Parameters<typeof toolResultText>[0];
        return { text: toolResultText(outcome), isError: outcome.isError === true };
      } catch (error) {
        if (signal.aborted) throw error;
        const message = error instanceof Error ? error.message : String(error);
        return { text: boundText(`Error: ${message}`), isError: true };
      }
    },
    async close() {
      await Promise.all(connections.map(connection => connection.close()));
    },
  };
}
