import { AppError } from '../../protocol/errors.js';
import { setConfigTool } from '../../protocol/tools/system-tools.js';
import type { Command } from '../command.js';
import { formatValue } from '../config-format.js';

export function splitAssignment(input: readonly string[]): { key: string; value: string } {
  if (input.length === 2) return { key: input[0] as string, value: input[1] as string };
  const [single] = input;
  const equals = single?.indexOf('=') ?? -1;
  if (single === undefined || equals <= 0) {
    throw new AppError(
      'INVALID_INPUT',
      'give a key and a value: az config set KEY VALUE, or az config set KEY=VALUE',
    );
  }
  return { key: single.slice(0, equals), value: single.slice(equals + 1) };
}

const command: Command = {
  usage: 'az config set KEY VALUE | KEY=VALUE [--json]',
  summary: 'Set a configuration key',
  flags: {},
  args: [1, 2],
  details:
    'Examples:\n  az config set llm.provider=claude     (also fills llm.base_url and the model routes)\n' +
    '  az config set server.port 7778\n  az config set llm.routes.default gpt-4o-mini,gpt-4o\n' +
    'Prefer AZ_LLM_API_KEY in the environment over storing the key in config.json.',
  async run({ connect, out, globals, input }) {
    const { key, value } = splitAssignment(input);
    const client = await connect();
    const result = await client.call(setConfigTool, { key, value });
    if (globals.json) {
      out.json(result);
      return;
    }
    out.print(`${result.entry.key} = ${formatValue(result.entry.value)}`);
    const others = result.changed.filter(changed => changed !== key);
    if (others.length > 0) out.note(`also set: ${others.join(', ')} (see az config list llm)`);
    if (result.entry.source === 'env')
      out.note(`note: an environment variable overrides ${key}; the file value applies when it is unset`);
    if (result.restart_required) out.note('restart the server for this change to take effect');
  },
};
export default command;
