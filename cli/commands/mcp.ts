import { AppError } from '../../protocol/errors.js';
import { TOOL_PROFILES, type ToolProfile } from '../../protocol/tool-contract.js';
import type { Command } from '../command.js';

const command: Command = {
  usage: 'az mcp [--tools core|full|all]',
  summary: 'Serve MCP over stdio (for Claude Desktop, Agent Zero, IDEs)',
  flags: {
    tools: {
      type: 'string',
      description: `Tool profile to list: ${TOOL_PROFILES.join(', ')} (default server.tool_profile)`,
    },
  },
  args: 0,
  details:
    'stdout carries the protocol; logs go to stderr. The process exits when the client closes stdin.\n' +
    "The agent's own external MCP servers are managed with az mcp add | list | remove.",
  async run({ flags, env, globals }) {
    const tools = flags.tools as string | undefined;
    if (tools !== undefined && !(TOOL_PROFILES as readonly string[]).includes(tools)) {
      throw new AppError('INVALID_INPUT', `unknown tool profile '${tools}'`, {
        hint: `Use one of ${TOOL_PROFILES.join(', ')}.`,
      });
    }
    const { runStdio } = await import('../../server/index.js');
    await runStdio({ home: globals.home, profile: globals.profile, env }, tools as ToolProfile | undefined);
  },
};
export default command;
