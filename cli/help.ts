/** Help texts built from the command table, so help and behaviour cannot drift. */
import type { Command, FlagSpec } from './command.js';
import { COMMANDS, commandsUnder } from './commands/registry.js';
import { EXIT_CODE_TABLE } from './exit-codes.js';

export const GLOBAL_FLAGS: Record<string, FlagSpec> = {
  home: { type: 'string', description: 'AZ_HOME to use (default: $AZ_HOME or ~/.az-os)' },
  profile: { type: 'string', description: 'Use a separate home for this profile (e.g. production)' },
  production: { type: 'boolean', description: 'Alias for --profile production' },
  json: { type: 'boolean', description: 'Print machine-readable JSON' },
  url: {
    type: 'string',
    description: 'Talk to the server at this URL (default: $AZ_URL, or the running server of the home)',
  },
  help: { type: 'boolean', shortFlag: 'h', description: 'Show help' },
  version: { type: 'boolean', description: 'Show the version' },
};

function flagLines(flags: Record<string, FlagSpec>): string[] {
  return Object.entries(flags).map(([name, spec]) => {
    const kebab = name.replace(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);
    const short = spec.shortFlag ? `-${spec.shortFlag}, ` : '    ';
    const value = spec.type === 'boolean' ? '' : spec.type === 'number' ? ' N' : ' VALUE';
    return `  ${short}--${kebab}${value}`.padEnd(30) + spec.description;
  });
}

export function topLevelHelp(): string {
  const width = Math.max(...COMMANDS.map(command => command.path.join(' ').length));
  return [
    'AZ-OS: a local agent platform where everything is MCP.',
    '',
    'Usage: az [global flags] COMMAND [flags]',
    '',
    'Commands:',
    ...COMMANDS.map(command => `  ${command.path.join(' ').padEnd(width + 2)}${command.summary}`),
    '',
    'Global flags:',
    ...flagLines(GLOBAL_FLAGS),
    '',
    'Exit codes:',
    ...EXIT_CODE_TABLE.map(([code, meaning]) => `  ${String(code).padStart(3)}  ${meaning}`),
    '',
    'Run `az COMMAND --help` for the flags of a command.',
  ].join('\n');
}

export function groupHelp(prefix: readonly string[]): string {
  const entries = commandsUnder(prefix);
  const width = Math.max(...entries.map(command => command.path.join(' ').length));
  return [
    `Usage: az ${prefix.join(' ')} SUBCOMMAND [flags]`,
    '',
    ...entries.map(command => `  az ${command.path.join(' ').padEnd(width + 2)}${command.summary}`),
  ].join('\n');
}

export function commandHelp(command: Command): string {
  return [
    `Usage: ${command.usage}`,
    '',
    command.summary,
    ...(Object.keys(command.flags).length > 0 ? ['', 'Flags:', ...flagLines(command.flags)] : []),
    ...(command.details ? ['', command.details] : []),
    '',
    'Global flags: --home, --profile, --production, --json, --url (see az --help)',
  ].join('\n');
}
