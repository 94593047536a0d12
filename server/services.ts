/**
 * Services plug subsystems into the runtime: each adds its tools, status providers, token resolvers and
 * shutdown hooks through this context. A new subsystem is one function and one line in SERVICES, not edits
 * scattered over the core.
 */
import type { Core, ServerMode } from './core.js';
import type { TokenResolver } from './http/auth.js';
import type { InstanceSetup, ToolCallObserver, ToolRegistry } from './mcp/register-tools.js';
import type { ToolDefinition } from './mcp/tool-definition.js';
import { SYSTEM_TOOLS } from './mcp/tools/index.js';
import { agentService } from './agent/agent-service.js';
import { createCheckpointService } from './checkpoints/checkpoint-service.js';
import { dataProtectionService } from './data-protection/data-protection-service.js';
import { createMemoryService } from './memory/memory-service.js';
import { agentToolsService } from './agent-tools/service.js';
import { auditService } from './audit/audit-service.js';
import { tokenService } from './tokens/token-service.js';

export interface RuntimeFeatures {
  /** Run queued tasks in this process (the daemon does; a one-shot CLI command does not). */
  runTasks: boolean;
  /**
   * For a server started on demand: called once when it has had no queued or running task for
   * tasks.daemon_idle_minutes, so it can stop.
   */
  onIdle?: (() => void) | undefined;
}

export interface ServiceContext {
  core: Core;
  mode: ServerMode;
  features: RuntimeFeatures;
  addTools(definitions: readonly ToolDefinition[]): void;
  addTokenResolver(resolver: TokenResolver): void;
  addToolCallObserver(observer: ToolCallObserver): void;
  /** Applied to every MCP server instance (prompts, resources, test fixtures). */
  addInstanceSetup(setup: InstanceSetup): void;
  /** The finished tool registry; only available once every service ran (call it later, e.g. when a task runs). */
  registry(): ToolRegistry;
  /**
   * Runs when the runtime starts, after its transport is up (a daemon holds the home's server lock by then):
   * start background work here, not in the service function.
   */
  onReady(hook: () => void | Promise<void>): void;
}

export type Service = (context: ServiceContext) => void | Promise<void>;

/** The task and system tools every mode serves. */
const systemService: Service = ({ addTools }) => {
  addTools(SYSTEM_TOOLS);
};

export const SERVICES: readonly Service[] = [
  systemService,
  dataProtectionService,
  createMemoryService(),
  createCheckpointService(),
  agentService,
  agentToolsService,
  tokenService,
  auditService,
];
