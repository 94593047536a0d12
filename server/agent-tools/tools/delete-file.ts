import { defineTool } from '../../../protocol/tool-contract.js';
import { DeleteFileInputSchema, DeleteFileOutputSchema, deleteFile } from '../../../tools/fs/delete-file.js';
import { implementTool } from '../../mcp/tool-definition.js';
import { runFsTool } from '../run-tool.js';
import type { AgentToolsRuntime } from '../runtime.js';

const ANNOTATIONS = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: true,
  openWorldHint: false,
};

/** The MCP contract of delete_file; tools/fs/delete-file.ts implements it. */
export const deleteFileTool = defineTool({
  name: 'delete_file',
  title: 'Delete file',
  description:
    'Delete a file, a symlink (the link itself, never what it points to) or a directory (recursive: true ' +
    'for one that is not empty). There is no undo here. Deleting protected files (.git internals, .env*), ' +
    'also inside a directory, needs approval.',
  input: DeleteFileInputSchema,
  output: DeleteFileOutputSchema,
  annotations: ANNOTATIONS,
  profile: 'all',
  access: 'write',
});

export const deleteFileDefinition = (runtime: AgentToolsRuntime) =>
  implementTool(deleteFileTool, (args, context) =>
    runFsTool(runtime, context, deps => deleteFile(args, deps)),
  );
