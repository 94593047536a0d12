import { READ_ONLY, defineTool } from '../../../protocol/tool-contract.js';
import {
  ListDirectoryInputSchema,
  ListDirectoryOutputSchema,
  listDirectory,
} from '../../../tools/fs/list-directory.js';
import { implementTool } from '../../mcp/tool-definition.js';
import { runFsTool } from '../run-tool.js';
import type { AgentToolsRuntime } from '../runtime.js';

/** The MCP contract of list_directory; tools/fs/list-directory.ts implements it. */
export const listDirectoryTool = defineTool({
  name: 'list_directory',
  title: 'List directory',
  description:
    'List one directory of the workspace: names, types (file, directory, symlink, other) and file sizes, ' +
    'directories first, up to 1000 entries. Symlinks are shown, not followed. Use find_files to search a ' +
    'whole tree by name.',
  input: ListDirectoryInputSchema,
  output: ListDirectoryOutputSchema,
  annotations: READ_ONLY,
  profile: 'all',
  access: 'read',
});

export const listDirectoryDefinition = (runtime: AgentToolsRuntime) =>
  implementTool(listDirectoryTool, (args, context) =>
    runFsTool(runtime, context, deps => listDirectory(args, deps)),
  );
