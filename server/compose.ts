/**
 * Composition root: builds the core of a home and the tool registry, and plugs in the services a mode needs.
 * Every way of running AZ-OS (daemon, stdio, in-process) goes through here, so they all expose the same tools.
 */
import { resolveHome, type HomeOptions } from '../protocol/home.js';
import { createCore, type Core, type ServerMode } from './core.js';
import { createToolRegistry, type ToolRegistry } from './mcp/register-tools.js';
import { SYSTEM_TOOLS } from './mcp/tools/index.js';

export interface Runtime {
  core: Core;
  registry: ToolRegistry;
  close(): Promise<void>;
}

export function composeRuntime(home: HomeOptions, mode: ServerMode): Runtime {
  const paths = resolveHome(home);
  const core = createCore({ paths, env: home.env, mode });
  const registry = createToolRegistry([...SYSTEM_TOOLS]);
  return {
    core,
    registry,
    close: () => core.close(),
  };
}
