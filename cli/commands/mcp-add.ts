import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { AppError } from '../../protocol/errors.js';
import { addMcpServerTool } from '../../protocol/tools/mcp-server-tools.js';
import type { Command } from '../command.js';
import { clean } from '../output.js';

function pairs(
  values: readonly string[] | undefined,
  separator: string,
  what: string,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const value of values ?? []) {
    const at = value.indexOf(separator);
    if (at <= 0)
      throw new AppError('INVALID_INPUT', `${what} '${value}' must look like NAME${separator}VALUE`);
    result[value.slice(0, at).trim()] = value.slice(at + 1).trim();
  }
  return result;
}

/**
 * The command runs in the task workspace, not here: a relative path that exists here (./server.js) is made
 * absolute so it still points at the same file.
 */
function absolutePaths(words: readonly string[], cwd: string): string[] {
  return words.map(word => {
    if (isAbsolute(word) || word.startsWith('-') || !/[/\\]/.test(word)) return word;
    const full = resolve(cwd, word);
    return existsSync(full) ? full : word;
  });
}

const command: Command = {
  usage: 'az mcp add NAME -- COMMAND [ARGS…] | az mcp add NAME --url URL [--header K:V]',
  summary: 'Add an external MCP server whose tools the agent may use',
  flags: {
    url: { type: 'string', description: 'Streamable HTTP endpoint (instead of a command)' },
    header: { type: 'string', isMultiple: true, description: 'HTTP header NAME:VALUE (repeatable)' },
    env: {
      type: 'string',
      isMultiple: true,
      description: 'Environment variable NAME=VALUE for the command (repeatable)',
    },
    cwd: { type: 'string', description: 'Working directory of the command (default: the task workspace)' },
    check: {
      type: 'boolean',
      default: true,
      description: 'Connect once and list its tools (--no-check skips it)',
    },
  },
  args: [1, 200],
  details:
    'The agent sees its tools as NAME__tool. A command runs in the task workspace, and {workspace} in its\n' +
    'arguments is replaced by the workspace path; relative paths that exist here are made absolute.\n' +
    "To manage the MCP servers of a remote AZ-OS, set AZ_URL (--url here is the MCP server's URL). Examples:\n" +
    '  az mcp add fs -- npx -y @modelcontextprotocol/server-filesystem\n' +
    '  az mcp add search --url https://example.com/mcp --header "Authorization: Bearer TOKEN"',
  async run({ connect, out, globals, input, flags }) {
    const [name, ...command] = input as [string, ...string[]];
    const url = flags.url as string | undefined;
    if ((url === undefined) === (command.length === 0)) {
      throw new AppError('INVALID_INPUT', 'give either a command after -- or --url', {
        hint: 'az mcp add NAME -- COMMAND ARGS…  or  az mcp add NAME --url URL',
      });
    }
    const client = await connect();
    const result = await client.call(
      addMcpServerTool,
      url !== undefined
        ? {
            name,
            url,
            headers: pairs(flags.header as string[] | undefined, ':', 'header'),
            check: flags.check as boolean,
          }
        : {
            name,
            command: absolutePaths(command, process.cwd())[0] as string,
            args: absolutePaths(command.slice(1), process.cwd()),
            env: pairs(flags.env as string[] | undefined, '=', 'variable'),
            cwd: flags.cwd as string | undefined,
            check: flags.check as boolean,
          },
      { timeoutMs: 60_000 },
    );
    if (globals.json) {
      out.json(result);
      return;
    }
    out.print(`${result.replaced ? 'replaced' : 'added'} ${name}`);
    if (result.tools) out.note(`${result.tools.length} tools: ${clean(result.tools.join(', '))}`);
    if (result.check_error) out.note(`warning: it did not answer: ${clean(result.check_error)}`);
  },
};
export default command;
