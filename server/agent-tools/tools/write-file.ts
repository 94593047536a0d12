import { defineTool } from '../../../protocol/tool-contract.js';
import { WriteFileInputSchema, WriteFileOutputSchema, writeFile } from '../../../tools/fs/write-file.js';
import { implementTool } from '../../mcp/tool-definition.js';
import { runFsTool } from '../run-tool.js';
import type { AgentToolsRuntime } from '../runtime.js';

const ANNOTATIONS = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: true,
  openWorldHint: false,
};

/** The MCP contract of write_file; tools/fs/write-file.ts implements it. */
export const writeFileTool = defineTool({
  name: 'write_file',
  title: 'Write file',
  description:
    'Create a file or replace its whole content, atomically (readers never see half a file); missing ' +
    'parent directories are created. For a change inside an existing file prefer edit_file, which sends ' +
    'only the change. Paths are relative to the workspace root. Writing outside the workspace, through ' +
    'symlinks that lead out, or to files with several hard links is refused; protected files (.git ' +
    'internals, .env*) need approval. Content up to 4 MB.',
  input: WriteFileInputSchema,
  output: WriteFileOutputSchema,
  annotations: ANNOTATIONS,
  profile: 'all',
  access: 'write',
});

export const writeFileDefinition = (runtime: AgentToolsRuntime) =>
  implementTool(writeFileTool, (args, context) => runFsTool(runtime, context, deps => writeFile(args, deps)));
