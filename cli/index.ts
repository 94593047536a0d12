#!/usr/bin/env node
/**
 * `az`: the AZ-OS command line. The only place that reads process.argv and calls process.exit. Finds the
 * command, parses its flags with meow, runs it against AZ-OS over MCP, and maps errors to exit codes.
 */
import meow from 'meow';
import { config as configureZod } from 'zod';
import { AppError, isAppError } from '../protocol/errors.js';
import { resolveHome } from '../protocol/home.js';
import { VERSION } from '../protocol/version.js';
import type { ToolCaller } from '../protocol/client.js';
import type { CommandContext, FlagSpec, GlobalFlags, Output } from './command.js';
import { commandsUnder, findCommand } from './commands/registry.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { GLOBAL_FLAGS, commandHelp, groupHelp, topLevelHelp } from './help.js';

const GLOBAL_VALUE_FLAGS = new Set(['--home', '--profile', '--url']);

/** Splits argv into the command words and everything else (flags stay where they were). */
function splitCommand(argv: readonly string[]): { words: string[]; rest: string[] } {
  const words: string[] = [];
  const rest: string[] = [];
  let index = 0;
  for (; index < argv.length; index += 1) {
    const token = argv[index] as string;
    if (token === '--') break;
    if (token.startsWith('-')) {
      rest.push(token);
      if (GLOBAL_VALUE_FLAGS.has(token) && index + 1 < argv.length) rest.push(argv[(index += 1)] as string);
      continue;
    }
    if (words.length < 2 && commandsUnder([...words, token]).length > 0) {
      words.push(token);
      continue;
    }
    break;
  }
  return { words, rest: [...rest, ...argv.slice(index)] };
}

function createOutput(json: boolean): Output {
  // Block bodies: these return nothing, so `return out.json(x)` in a command is never taken for an exit code.
  return {
    print: text => {
      process.stdout.write(`${text}\n`);
    },
    note: text => {
      if (!json) process.stderr.write(`${text}\n`);
    },
    json: value => {
      process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    isTty: process.stdout.isTTY === true,
    width: process.stdout.columns ?? 120,
  };
}

function reportError(error: unknown, json: boolean): number {
  const appError = isAppError(error)
    ? error
    : new AppError('INTERNAL', error instanceof Error ? error.message : String(error), { cause: error });
  if (json) {
    process.stdout.write(`${JSON.stringify({ error: appError.toPayload() }, null, 2)}\n`);
  } else {
    process.stderr.write(`az: ${appError.message}\n`);
    if (appError.hint) process.stderr.write(`  hint: ${appError.hint}\n`);
    if (appError.code === 'INTERNAL' && process.env.AZ_DEBUG && error instanceof Error) {
      process.stderr.write(`${error.stack ?? ''}\n`);
    }
  }
  return exitCodeFor(appError.code);
}

async function main(argv: readonly string[]): Promise<number> {
  // A command parses a handful of values once: zod's JIT (compiling each schema's parser with new Function)
  // costs more here than it saves, measurably on every command. Long-running processes keep the JIT.
  configureZod({ jitless: true });
  const { words, rest } = splitCommand(argv);
  const wantsJson = rest.includes('--json');
  if (words.length === 0) {
    if (rest.includes('--version')) {
      process.stdout.write(`${VERSION}\n`);
      return EXIT.ok;
    }
    process.stdout.write(`${topLevelHelp()}\n`);
    return rest.length === 0 || rest.includes('--help') || rest.includes('-h') ? EXIT.ok : EXIT.usage;
  }
  const found = findCommand(words);
  if (!found) {
    const unknown = argv.find(token => !token.startsWith('-') && !words.includes(token));
    process.stderr.write(
      `${unknown ? `az: unknown command '${words.join(' ')} ${unknown}'\n\n` : ''}${groupHelp(words)}\n`,
    );
    return rest.includes('--help') || rest.includes('-h') ? EXIT.ok : EXIT.usage;
  }
  const command = await found.entry.load();
  const flagSpecs: Record<string, FlagSpec> = { ...GLOBAL_FLAGS, ...command.flags };
  const cli = meow({
    importMeta: import.meta,
    argv: rest,
    pkg: { name: 'az-os', version: VERSION },
    autoHelp: false,
    autoVersion: false,
    allowUnknownFlags: false,
    booleanDefault: undefined,
    flags: Object.fromEntries(
      Object.entries(flagSpecs).map(([name, spec]) => [
        name,
        Object.fromEntries(
          Object.entries({
            type: spec.type,
            shortFlag: spec.shortFlag,
            isMultiple: spec.isMultiple,
            default: spec.default,
          }).filter(([, value]) => value !== undefined),
        ),
      ]),
    ) as never,
  });
  const flags = cli.flags as Record<string, unknown>;
  if (flags.help === true) {
    process.stdout.write(`${commandHelp(command)}\n`);
    return EXIT.ok;
  }
  const [min, max] = typeof command.args === 'number' ? [command.args, command.args] : command.args;
  if (cli.input.length < min || cli.input.length > max) {
    process.stderr.write(
      `az: ${found.entry.path.join(' ')} takes ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'}, got ${cli.input.length}\n\n${commandHelp(command)}\n`,
    );
    return EXIT.usage;
  }
  const globals: GlobalFlags = {
    home: flags.home as string | undefined,
    profile: (flags.profile as string | undefined) ?? (flags.production === true ? 'production' : undefined),
    json: flags.json === true,
    // A command flag of the same name shadows the global one (az mcp add --url names the MCP server's URL).
    url: 'url' in command.flags ? undefined : (flags.url as string | undefined),
  };
  if (flags.production === true && flags.profile !== undefined && flags.profile !== 'production') {
    throw new AppError(
      'INVALID_INPUT',
      '--production and --profile name different profiles; use one of them',
    );
  }
  const env = process.env as Record<string, string | undefined>;
  const paths = resolveHome({ home: globals.home, profile: globals.profile, env });
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts += 1;
    if (interrupts > 1) process.exit(EXIT.interrupted);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  let client: ToolCaller | undefined;
  const context: CommandContext = {
    input: cli.input,
    flags,
    globals,
    paths,
    env,
    out: createOutput(globals.json),
    signal: controller.signal,
    async connect() {
      // Loaded on first use: commands that never connect (help, serve, dashboard) skip the MCP client.
      const { connect } = await import('./connect.js');
      client ??= (
        await connect({ paths, env, url: globals.url, home: globals.home, profile: globals.profile })
      ).client;
      return client;
    },
  };
  try {
    const code = (await command.run(context)) ?? EXIT.ok;
    return controller.signal.aborted && code === EXIT.ok ? EXIT.interrupted : code;
  } catch (error) {
    return reportError(error, wantsJson);
  } finally {
    process.off('SIGINT', onSigint);
    await client?.close();
  }
}

// `az task list | head` closes the pipe early: that is the reader's choice, not an error to report.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', error => {
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
    throw error;
  });
}

main(process.argv.slice(2)).then(
  code => {
    process.exitCode = code;
  },
  error => {
    process.exitCode = reportError(error, process.argv.includes('--json'));
  },
);
