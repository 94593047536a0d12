import { defineTool } from '../../../protocol/tool-contract.js';
import { MoveFileInputSchema, MoveFileOutputSchema, moveFile } from '../../../tools/fs/move-file.js';
import { implementTool } from '../../mcp/tool-definition.js';
import { runFsTool } from '../run-tool.js';
import type { AgentToolsRuntime } from '../runtime.js';

const ANNOTATIONS = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: false,
  openWorldHint: false,
};

/** The MCP contract of move_file; tools/fs/move-file.ts implements it. */
export const moveFileTool = defineTool({
  name: 'move_file',
  title: 'Move file',
  description:
    'Move or rename a file, directory or symlink within the workspace (a symlink moves as a link). An ' +
    'existing destination is replaced only with overwrite: true, and only by a file. Missing parent ' +
    'directories of the destination are created.',
  input: MoveFileInputSchema,
  output: MoveFileOutputSchema,
  annotations: ANNOTATIONS,
  profile: 'all',
  access: 'write',
});

export const moveFileDefinition = (runtime: AgentToolsRuntime) =>
  implementTool(moveFileTool, (args, context) => runFsTool(runtime, context, deps => moveFile(args, deps)));
