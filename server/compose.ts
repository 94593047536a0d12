/**
 * Composition root: builds the core of a home, runs every service (which add tools, token resolvers and
 * observers), and freezes the tool registry. Every way of running AZ-OS (daemon, stdio, in-process) goes
 * through here, so they all expose the same tools.
 */
import { resolveHome, type HomeOptions } from '../protocol/home.js';
import { createCore, type Core, type ServerMode } from './core.js';
import type { TokenResolver } from './http/auth.js';
import {
  createToolRegistry,
  type InstanceSetup,
  type ToolCallObserver,
  type ToolRegistry,
} from './mcp/register-tools.js';
import type { ToolDefinition } from './mcp/tool-definition.js';
import { SERVICES, type RuntimeFeatures, type Service } from './services.js';

export interface Runtime {
  core: Core;
  registry: ToolRegistry;
  tokenResolvers: readonly TokenResolver[];
  close(): Promise<void>;
}

export async function composeRuntime(
  home: HomeOptions,
  mode: ServerMode,
  features: RuntimeFeatures = { runTasks: mode === 'daemon' },
  services: readonly Service[] = SERVICES,
): Promise<Runtime> {
  const paths = resolveHome(home);
  const core = createCore({ paths, env: home.env, mode });
  const tools: ToolDefinition[] = [];
  const tokenResolvers: TokenResolver[] = [];
  const observers: ToolCallObserver[] = [];
  const setups: InstanceSetup[] = [];
  try {
    for (const service of services) {
      await service({
        core,
        mode,
        features,
        addTools: definitions => tools.push(...definitions),
        addTokenResolver: resolver => tokenResolvers.push(resolver),
        addToolCallObserver: observer => observers.push(observer),
        addInstanceSetup: setup => setups.push(setup),
      });
    }
  } catch (error) {
    await core.close();
    throw error;
  }
  const registry = createToolRegistry(tools);
  for (const observer of observers) registry.observers.add(observer);
  registry.instanceSetups.push(...setups);
  return { core, registry, tokenResolvers, close: () => core.close() };
}
