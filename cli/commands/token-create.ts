import { AppError } from '../../protocol/errors.js';
import { createTokenTool, RoleSchema } from '../../protocol/tools/token-tools.js';
import type { Command } from '../command.js';

const command: Command = {
  usage: 'az token create --name NAME --role admin|operator|viewer [--json]',
  summary: 'Create an HTTP token with a role (shown once)',
  details:
    'Roles: admin (everything, configuration, tokens), operator (tasks, file and shell tools under the policy),\n' +
    'viewer (read-only tools and resources). The token is printed once; only its hash is stored.',
  flags: {
    name: { type: 'string', description: 'Who uses it (unique, never reused), e.g. agent-zero' },
    role: { type: 'string', description: 'admin, operator or viewer' },
  },
  args: 0,
  async run({ connect, out, globals, flags }) {
    const name = flags.name as string | undefined;
    const role = RoleSchema().safeParse(flags.role);
    if (name === undefined || !role.success) {
      throw new AppError(
        'INVALID_INPUT',
        'give a name and a role: az token create --name NAME --role viewer',
        {
          hint: `Roles: ${RoleSchema().options.join(', ')}.`,
        },
      );
    }
    const client = await connect();
    const result = await client.call(createTokenTool, { name, role: role.data });
    if (globals.json) {
      out.json(result);
      return;
    }
    out.print(result.token);
    out.note(
      `Token '${result.info.name}' (${result.info.role}) created. Store it now: it is not shown again.`,
    );
    out.note('Clients send it as: Authorization: Bearer TOKEN');
  },
};
export default command;
