import { defineTool } from '../../../protocol/tool-contract.js';
import {
  KillProcessInputSchema,
  KillProcessOutputSchema,
  killProcess,
} from '../../../tools/shell/kill-process.js';
import { implementTool } from '../../mcp/tool-definition.js';
import { runShellTool } from '../run-tool.js';
import type { AgentToolsRuntime } from '../runtime.js';

const ANNOTATIONS = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: true,
  openWorldHint: false,
};

/** The MCP contract of kill_process; tools/shell/kill-process.ts implements it. */
export const killProcessTool = defineTool({
  name: 'kill_process',
  title: 'Kill process',
  description:
    'Stop a background command and everything it started: SIGTERM, then SIGKILL after 2 seconds. Returns ' +
    'its final state and output.',
  input: KillProcessInputSchema,
  output: KillProcessOutputSchema,
  annotations: ANNOTATIONS,
  profile: 'all',
  access: 'write',
});

export const killProcessDefinition = (runtime: AgentToolsRuntime) =>
  implementTool(killProcessTool, (args, context) =>
    runShellTool(runtime, context, deps => killProcess(args, deps)),
  );
