/**
 * The bridge from an MCP call to a tools/ function: builds its confinement (roots of the caller), its access
 * control (the permission gate) and, for shell tools, its sandbox launcher and environment; then maps a
 * ToolError (or an operating-system refusal) to the AppError with the same meaning.
 */
import { join } from 'node:path';
import { AppError } from '../../protocol/errors.js';
import type { FsToolDeps } from '../../tools/access.js';
import { errnoOf, isToolError } from '../../tools/errors.js';
import { commandEnvironment } from '../../tools/shell/environment.js';
import type { ShellToolDeps } from '../../tools/shell/shell-deps.js';
import type { ToolContext } from '../mcp/tool-definition.js';
import { createAccessControl } from '../security/permission-gate.js';
import { forbiddenAreas, hiddenPaths, reopenedPaths, rootsFor } from '../security/roots.js';
import type { AgentToolsRuntime } from './runtime.js';

/** Default wall time of a foreground command, when the call does not say. */
const DEFAULT_TIMEOUT_SECONDS = 60;

export function toAppError(error: unknown): unknown {
  if (isToolError(error)) {
    return new AppError(error.code, error.message, {
      hint: error.hint,
      details: error.details,
      cause: error,
    });
  }
  const code = errnoOf(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new AppError('PERMISSION_DENIED', `the operating system refused: ${message}`, { cause: error });
  }
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new AppError('TOOL_FAILED', `the disk is full: ${message}`, { cause: error });
  }
  if (code === 'ENOENT') return new AppError('NOT_FOUND', message, { cause: error });
  return error;
}

function fsDeps(runtime: AgentToolsRuntime, context: ToolContext): FsToolDeps {
  const confinement = runtime.confinement({
    roots: rootsFor(context.core, context.scope),
    forbidden: forbiddenAreas(context.core, context.scope),
  });
  const access = createAccessControl(context, { policy: runtime.policy, confinement });
  return { confinement, access, bounded: runtime.bounded, signal: context.signal };
}

/** Whose processes a caller's commands are: the task's, or the outside client's. */
export function processOwner(context: ToolContext): string {
  return context.scope ? `task:${context.scope.taskId}` : `client:${context.principal.name}`;
}

export function shellDeps(runtime: AgentToolsRuntime, context: ToolContext): ShellToolDeps {
  const base = fsDeps(runtime, context);
  const security = context.core.config().config.security;
  return {
    ...base,
    processes: runtime.processes,
    owner: processOwner(context),
    seesAll: context.scope === undefined && context.principal.role === 'admin',
    launcher: {
      mode: security.sandbox,
      probe: runtime.probe,
      env: runtime.env,
      layout: () => ({
        // The roots, plus the workspaces inside AZ-OS's hidden home when a root contains the home.
        writable: [
          ...base.confinement.roots,
          ...reopenedPaths(context.core, context.scope, base.confinement.roots),
        ],
        hidden: hiddenPaths(context.core),
        // A sandboxed command may commit, but not plant hooks or config that run code outside the sandbox.
        readOnly: base.confinement.roots.flatMap(root => [
          join(root, '.git', 'hooks'),
          join(root, '.git', 'config'),
        ]),
        network: security.network,
      }),
    },
    environment: commandEnvironment(runtime.env, { passthrough: security.env_passthrough }),
    limits: {
      outputBytes: security.shell_output_bytes,
      defaultTimeoutSeconds: Math.min(DEFAULT_TIMEOUT_SECONDS, security.shell_timeout_seconds),
      maxTimeoutSeconds: security.shell_timeout_seconds,
      maxBackground: security.max_background_processes,
    },
  };
}

export async function runFsTool<T>(
  runtime: AgentToolsRuntime,
  context: ToolContext,
  work: (deps: FsToolDeps) => Promise<T> | T,
): Promise<T> {
  try {
    return await work(fsDeps(runtime, context));
  } catch (error) {
    throw toAppError(error);
  }
}

export async function runShellTool<T>(
  runtime: AgentToolsRuntime,
  context: ToolContext,
  work: (deps: ShellToolDeps) => Promise<T> | T,
): Promise<T> {
  try {
    return await work(shellDeps(runtime, context));
  } catch (error) {
    throw toAppError(error);
  }
}
