/**
 * The MCP server factory: one McpServer instance per HTTP request (2026-07-28), per 2025-era session, per stdio
 * connection or per in-process client — all views of the same core. Nothing lives in an instance that a
 * client would miss on its next connection: every task is addressed by id.
 */
import { McpServer } from '@modelcontextprotocol/server';
import type { ToolProfile } from '../../protocol/tool-contract.js';
import type { Core } from '../core.js';
import type { Principal } from './principal.js';
import { registerTools, type ToolRegistry } from './register-tools.js';
import type { TaskScope } from './tool-definition.js';
import { attachLiveUpdates, registerResources, type LiveUpdates } from './resources.js';

export interface McpInstanceOptions {
  principal: Principal;
  profile: ToolProfile;
  liveUpdates: LiveUpdates;
  /** The task an agent's connection works for (confines file and shell tools to its workspace). */
  scope?: TaskScope | undefined;
  /** The protocol era this instance serves, when the transport knows it. */
  era?: 'legacy' | 'modern';
}

const INSTRUCTIONS =
  'AZ-OS runs agent tasks. Start one with create_task (returns an id at once) or run_task, follow it with ' +
  'wait_task (bounded; call again while done is false) or get_task, and read its steps with get_task_log. ' +
  'get_status reports health. Everything is addressed by task id, so any new session can pick a task up.';

export function createMcpServerInstance(
  core: Core,
  registry: ToolRegistry,
  options: McpInstanceOptions,
): McpServer {
  const server = new McpServer(
    { name: 'az-os', title: 'AZ-OS', version: core.version },
    {
      capabilities: { tools: { listChanged: false }, resources: { subscribe: true, listChanged: false } },
      instructions: INSTRUCTIONS,
      requestState: { verify: (state, ctx) => registry.requestState.verify(state, ctx) },
    },
  );
  const listTool = registerTools(server, registry, {
    core,
    principal: options.principal,
    profile: options.profile,
    scope: options.scope,
  });
  registerResources(server, core, options.principal);
  for (const setup of registry.instanceSetups)
    setup(server, {
      principal: options.principal,
      era: options.era ?? 'unknown',
      listTool,
      requestState: registry.requestState,
    });
  const detach = attachLiveUpdates(server, core, options.liveUpdates);
  const previous = server.server.onclose;
  server.server.onclose = () => {
    detach();
    previous?.();
  };
  return server;
}
