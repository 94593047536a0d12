import { READ_ONLY, defineTool } from '../../../protocol/tool-contract.js';
import { FindFilesInputSchema, FindFilesOutputSchema, findFiles } from '../../../tools/fs/find-files.js';
import { implementTool } from '../../mcp/tool-definition.js';
import { runFsTool } from '../run-tool.js';
import type { AgentToolsRuntime } from '../runtime.js';

/** The MCP contract of find_files; tools/fs/find-files.ts implements it. */
export const findFilesTool = defineTool({
  name: 'find_files',
  title: 'Find files',
  description:
    "Find files whose path matches a glob under a directory of the workspace ('**/*.test.ts', " +
    "'src/**/index.*'; a pattern without '/' matches file names at any depth). Skips what .gitignore " +
    'excludes (include_ignored: true to include it), never enters .git, does not follow symlinks. Returns ' +
    'up to max_results paths (default 200) relative to the workspace root. To search file contents use ' +
    'search_files.',
  input: FindFilesInputSchema,
  output: FindFilesOutputSchema,
  annotations: READ_ONLY,
  profile: 'all',
  access: 'read',
});

export const findFilesDefinition = (runtime: AgentToolsRuntime) =>
  implementTool(findFilesTool, (args, context) => runFsTool(runtime, context, deps => findFiles(args, deps)));
