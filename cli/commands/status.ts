import { getStatusTool } from '../../protocol/tools/system-tools.js';
import type { Command } from '../command.js';
import { clean } from '../output.js';

const command: Command = {
  usage: 'az status [--json]',
  summary: 'Show server health, task counts and subsystem status',
  flags: {},
  args: 0,
  async run({ connect, out, globals }) {
    const client = await connect();
    const status = await client.call(getStatusTool, {});
    if (globals.json) {
      out.json(status);
      return;
    }
    const counts = Object.entries(status.tasks.by_status)
      .map(([state, count]) => `${state.toLowerCase()} ${count}`)
      .join(', ');
    out.print(`AZ-OS ${status.version} (${status.mode}, pid ${status.pid}, up ${status.uptime_seconds}s)`);
    out.print(`home      ${status.home} (profile ${status.profile})`);
    out.print(
      `database  ${status.database.path} (schema v${status.database.schema_version}, ${status.database.size_bytes} bytes)`,
    );
    out.print(`tasks     ${status.tasks.total}${counts ? ` (${counts})` : ''}`);
    for (const [name, component] of Object.entries(status.components)) {
      out.print(`${name.padEnd(9)} ${component.status}: ${clean(component.detail)}`);
    }
  },
};
export default command;
