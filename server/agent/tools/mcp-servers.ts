/** add_mcp_server, list_mcp_servers, remove_mcp_server: the `mcp.servers` section, without showing secrets. */
import {
  addMcpServerTool,
  listMcpServersTool,
  removeMcpServerTool,
  type McpServerInfo,
} from '../../../protocol/tools/mcp-server-tools.js';
import type { McpServerConfig } from '../../config/schema.js';
import type { Core } from '../../core.js';
import { implementTool, type ToolDefinition } from '../../mcp/tool-definition.js';

const CHECK_TIMEOUT_MS = 20_000;

export function serverInfo(name: string, config: McpServerConfig): McpServerInfo {
  if ('command' in config) {
    return {
      name,
      transport: 'stdio',
      command: config.command,
      args: config.args,
      ...(config.cwd === undefined ? {} : { cwd: config.cwd }),
      env_keys: Object.keys(config.env),
    };
  }
  return { name, transport: 'http', url: config.url, header_names: Object.keys(config.headers) };
}

function servers(core: Core): Record<string, McpServerConfig> {
  return core.config().config.mcp.servers;
}

async function check(
  core: Core,
  name: string,
  config: McpServerConfig,
): Promise<{ tools: string[] | null; error: string | null }> {
  try {
    // The MCP client loads only when a server is checked.
    const { connectExternal } = await import('../mcp-connections.js');
    const connection = await connectExternal(name, config, {
      workspace: core.paths.workspacesDir,
      logsDir: core.paths.logsDir,
      sampling: undefined,
      timeoutMs: CHECK_TIMEOUT_MS,
      signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
    });
    try {
      const { tools } = await connection.client.listTools();
      return { tools: tools.map(tool => `${name}__${tool.name}`), error: null };
    } finally {
      await connection.close();
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const hint = (error as { hint?: string }).hint;
    return { tools: null, error: hint ? `${message} (${hint})` : message };
  }
}

export function mcpServerTools(): ToolDefinition[] {
  const add = implementTool(addMcpServerTool, async (args, { core }) => {
    const config: McpServerConfig =
      args.command !== undefined
        ? {
            command: args.command,
            args: args.args ?? [],
            env: args.env ?? {},
            ...(args.cwd ? { cwd: args.cwd } : {}),
          }
        : { url: args.url as string, headers: args.headers ?? {} };
    const current = servers(core);
    const replaced = args.name in current;
    core.configService.set('mcp.servers', { ...current, [args.name]: config });
    const checked =
      args.check === false ? { tools: null, error: null } : await check(core, args.name, config);
    return {
      server: serverInfo(args.name, config),
      replaced,
      tools: checked.tools,
      check_error: checked.error,
    };
  });
  const list = implementTool(listMcpServersTool, (_args, { core }) => ({
    servers: Object.entries(servers(core)).map(([name, config]) => serverInfo(name, config)),
  }));
  const remove = implementTool(removeMcpServerTool, (args, { core }) => {
    const current = { ...servers(core) };
    if (!(args.name in current)) return { removed: false };
    delete current[args.name];
    core.configService.set('mcp.servers', current);
    return { removed: true };
  });
  return [add, list, remove] as unknown as ToolDefinition[];
}
