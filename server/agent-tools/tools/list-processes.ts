import { READ_ONLY, defineTool } from '../../../protocol/tool-contract.js';
import {
  ListProcessesInputSchema,
  ListProcessesOutputSchema,
  listProcesses,
} from '../../../tools/shell/list-processes.js';
import { implementTool } from '../../mcp/tool-definition.js';
import { runShellTool } from '../run-tool.js';
import type { AgentToolsRuntime } from '../runtime.js';

/** The MCP contract of list_processes; tools/shell/list-processes.ts implements it. */
export const listProcessesTool = defineTool({
  name: 'list_processes',
  title: 'List processes',
  description:
    'List the background commands you started with run_shell_command (background: true): status, exit ' +
    'code, duration and their latest output. Pass process_id to get one process with all of its captured ' +
    'output. Background processes end with the task or client that started them, or when the server ' +
    'stops.',
  input: ListProcessesInputSchema,
  output: ListProcessesOutputSchema,
  annotations: READ_ONLY,
  profile: 'all',
  access: 'read',
});

export const listProcessesDefinition = (runtime: AgentToolsRuntime) =>
  implementTool(listProcessesTool, (args, context) =>
    runShellTool(runtime, context, deps => listProcesses(args, deps)),
  );
