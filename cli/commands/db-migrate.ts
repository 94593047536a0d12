import { migrateDatabaseTool } from '../../protocol/tools/system-tools.js';
import type { Command } from '../command.js';

const command: Command = {
  usage: 'az db migrate [--dry-run] [--json]',
  summary: 'Apply pending database migrations',
  flags: { dryRun: { type: 'boolean', description: 'Only list what would be applied' } },
  args: 0,
  async run({ connect, out, globals, flags }) {
    const client = await connect();
    const result = await client.call(migrateDatabaseTool, { dry_run: flags.dryRun === true });
    if (globals.json) {
      out.json(result);
      return;
    }
    if (result.applied.length === 0) out.print(`up to date (schema v${result.schema_version})`);
    for (const migration of result.applied) {
      out.print(`${result.dry_run ? 'would apply' : 'applied'} v${migration.version}: ${migration.name}`);
    }
  },
};
export default command;
