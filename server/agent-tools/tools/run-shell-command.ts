import { defineTool } from '../../../protocol/tool-contract.js';
import {
  RunShellCommandInputSchema,
  RunShellCommandOutputSchema,
  runShellCommand,
} from '../../../tools/shell/run-shell-command.js';
import { implementTool } from '../../mcp/tool-definition.js';
import { runShellTool } from '../run-tool.js';
import type { AgentToolsRuntime } from '../runtime.js';

const ANNOTATIONS = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: false,
  openWorldHint: true,
};

/** The MCP contract of run_shell_command; tools/shell/run-shell-command.ts implements it. */
export const runShellCommandTool = defineTool({
  name: 'run_shell_command',
  title: 'Run shell command',
  description:
    'Run a bash command line in the workspace; returns exit_code, stdout and stderr. It runs in a ' +
    'sandbox: the workspace is writable, the rest of the system read-only, /tmp private, no network ' +
    'unless the policy allows it, no secrets in its environment. It is killed with everything it started ' +
    'after timeout_seconds (default 60). Output is capped (its start and end are kept, the middle ' +
    'dropped) and terminal escape codes are removed. There is no terminal and no stdin: use ' +
    'non-interactive flags. For servers and watchers pass background: true and use list_processes / ' +
    'kill_process; anything else a command leaves running is stopped when it ends.',
  input: RunShellCommandInputSchema,
  output: RunShellCommandOutputSchema,
  annotations: ANNOTATIONS,
  profile: 'all',
  access: 'write',
});

export const runShellCommandDefinition = (runtime: AgentToolsRuntime) =>
  implementTool(runShellCommandTool, (args, context) =>
    runShellTool(runtime, context, deps => runShellCommand(args, deps)),
  );
