import { READ_ONLY, defineTool } from '../../../protocol/tool-contract.js';
import { ReadFileInputSchema, ReadFileOutputSchema, readFile } from '../../../tools/fs/read-file.js';
import { implementTool } from '../../mcp/tool-definition.js';
import { runFsTool } from '../run-tool.js';
import type { AgentToolsRuntime } from '../runtime.js';

/** The MCP contract of read_file; tools/fs/read-file.ts implements it. */
export const readFileTool = defineTool({
  name: 'read_file',
  title: 'Read file',
  description:
    'Read a text file of the workspace. Returns the lines exactly as in the file, with the line range and ' +
    'total_lines, at most 256 KB per call: for a longer file pass offset (1-based line) and limit, and ' +
    'the result says where to continue. Paths are relative to the workspace root. Refuses binary files, ' +
    'directories, and anything outside the workspace; protected files (.git internals, .env*) need ' +
    'approval.',
  input: ReadFileInputSchema,
  output: ReadFileOutputSchema,
  annotations: READ_ONLY,
  profile: 'all',
  access: 'read',
});

export const readFileDefinition = (runtime: AgentToolsRuntime) =>
  implementTool(readFileTool, (args, context) => runFsTool(runtime, context, deps => readFile(args, deps)));
