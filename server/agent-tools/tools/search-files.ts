import { READ_ONLY, defineTool } from '../../../protocol/tool-contract.js';
import {
  SearchFilesInputSchema,
  SearchFilesOutputSchema,
  searchFiles,
} from '../../../tools/fs/search-files.js';
import { implementTool } from '../../mcp/tool-definition.js';
import { runFsTool } from '../run-tool.js';
import type { AgentToolsRuntime } from '../runtime.js';

/** The MCP contract of search_files; tools/fs/search-files.ts implements it. */
export const searchFilesTool = defineTool({
  name: 'search_files',
  title: 'Search files',
  description:
    'Search file contents with a regular expression (JavaScript syntax, matched per line), like grep -rn, ' +
    'under a directory or in one file. Returns matching lines with path and line number, up to ' +
    "max_results (default 100). Narrow it with glob ('*.py'). Skips .gitignored, binary, larger than 4 MB " +
    'and protected files (counted in files_skipped). A pattern that takes too long is stopped at ' +
    'timeout_seconds. To find files by name use find_files.',
  input: SearchFilesInputSchema,
  output: SearchFilesOutputSchema,
  annotations: READ_ONLY,
  profile: 'all',
  access: 'read',
});

export const searchFilesDefinition = (runtime: AgentToolsRuntime) =>
  implementTool(searchFilesTool, (args, context) =>
    runFsTool(runtime, context, deps => searchFiles(args, deps)),
  );
