/**
 * The agent tools service: file, shell and process tools for the agent (confined to its task's workspace)
 * and for outside clients (confined to security.roots), all under the permission policy; the 'sandbox'
 * status; and the guarantee that no process outlives its task or the server.
 */
import type { ToolDefinition } from '../mcp/tool-definition.js';
import type { Service } from '../services.js';
import { sandboxStatus } from './sandbox-status.js';
import { createAgentToolsRuntime, type AgentToolsRuntime } from './runtime.js';
import { deleteFileDefinition } from './tools/delete-file.js';
import { editFileDefinition } from './tools/edit-file.js';
import { findFilesDefinition } from './tools/find-files.js';
import { killProcessDefinition } from './tools/kill-process.js';
import { listDirectoryDefinition } from './tools/list-directory.js';
import { listProcessesDefinition } from './tools/list-processes.js';
import { moveFileDefinition } from './tools/move-file.js';
import { readFileDefinition } from './tools/read-file.js';
import { runShellCommandDefinition } from './tools/run-shell-command.js';
import { searchFilesDefinition } from './tools/search-files.js';
import { writeFileDefinition } from './tools/write-file.js';

export function agentToolDefinitions(runtime: AgentToolsRuntime): readonly ToolDefinition[] {
  return [
    readFileDefinition(runtime),
    writeFileDefinition(runtime),
    editFileDefinition(runtime),
    listDirectoryDefinition(runtime),
    findFilesDefinition(runtime),
    searchFilesDefinition(runtime),
    moveFileDefinition(runtime),
    deleteFileDefinition(runtime),
    runShellCommandDefinition(runtime),
    listProcessesDefinition(runtime),
    killProcessDefinition(runtime),
  ] as unknown as readonly ToolDefinition[];
}

/** The service, for an environment (commands' variables are derived from it; bwrap is looked up in its PATH). */
export function createAgentToolsService(env: Record<string, string | undefined>): Service {
  return ({ core, addTools }) => {
    const runtime = createAgentToolsRuntime(core, env);
    addTools(agentToolDefinitions(runtime));
    core.statusProviders.set('sandbox', () => sandboxStatus(runtime));
    // No process outlives its task, or the server.
    const endTask = async (task: { id: string }): Promise<void> => {
      await runtime.processes.killOwner(`task:${task.id}`);
    };
    core.taskHooks.push({ name: 'processes', onCompleted: endTask, onSettled: endTask });
    core.onClose(() => runtime.processes.killAll());
  };
}

export const agentToolsService: Service = context => createAgentToolsService(process.env)(context);
