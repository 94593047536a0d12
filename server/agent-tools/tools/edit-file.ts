import { defineTool } from '../../../protocol/tool-contract.js';
import { EditFileInputSchema, EditFileOutputSchema, editFile } from '../../../tools/fs/edit-file.js';
import { implementTool } from '../../mcp/tool-definition.js';
import { runFsTool } from '../run-tool.js';
import type { AgentToolsRuntime } from '../runtime.js';

const ANNOTATIONS = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: false,
  openWorldHint: false,
};

/** The MCP contract of edit_file; tools/fs/edit-file.ts implements it. */
export const editFileTool = defineTool({
  name: 'edit_file',
  title: 'Edit file',
  description:
    'Replace an exact piece of text in a file and get a unified diff of the change. old_text must match ' +
    'the file character for character (whitespace, indentation and line breaks included) and occur ' +
    'exactly once, unless replace_all is true; if it occurs more often, add surrounding lines to make it ' +
    'unique. Read the file first (read_file) so old_text is exact.',
  input: EditFileInputSchema,
  output: EditFileOutputSchema,
  annotations: ANNOTATIONS,
  profile: 'all',
  access: 'write',
});

export const editFileDefinition = (runtime: AgentToolsRuntime) =>
  implementTool(editFileTool, (args, context) => runFsTool(runtime, context, deps => editFile(args, deps)));
