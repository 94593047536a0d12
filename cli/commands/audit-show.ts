import { getAuditLogTool } from '../../protocol/tools/audit-tools.js';
import type { Command } from '../command.js';
import { table } from '../output.js';

const command: Command = {
  usage: 'az audit show [--limit N] [--tool NAME] [--principal NAME] [--before SEQ] [--json]',
  summary: 'Show the audit log, newest first',
  flags: {
    limit: { type: 'number', description: 'Rows (default 50, max 1000)' },
    tool: { type: 'string', description: 'Only calls of this tool' },
    principal: { type: 'string', description: 'Only calls by this token name or user' },
    before: { type: 'number', description: 'Rows older than this seq (the next page)' },
  },
  args: 0,
  async run({ connect, out, globals, flags }) {
    const client = await connect();
    const page = await client.call(getAuditLogTool, {
      limit: flags.limit as number | undefined,
      tool: flags.tool as string | undefined,
      principal: flags.principal as string | undefined,
      before_seq: flags.before as number | undefined,
    });
    if (globals.json) {
      out.json(page);
      return;
    }
    if (page.entries.length === 0) {
      out.note('The audit log is empty.');
      return;
    }
    out.print(
      table(
        page.entries,
        [
          { header: 'SEQ', value: entry => String(entry.seq), align: 'right' },
          { header: 'AT', value: entry => entry.at.slice(0, 19).replace('T', ' ') },
          {
            header: 'WHO',
            value: entry => `${entry.principal} (${entry.role})${entry.task_id ? ` ${entry.task_id}` : ''}`,
          },
          { header: 'TOOL', value: entry => entry.tool },
          {
            header: 'OUTCOME',
            value: entry => (entry.error_code ? `${entry.outcome} ${entry.error_code}` : entry.outcome),
          },
          { header: 'MS', value: entry => String(entry.duration_ms), align: 'right' },
          { header: 'TARGETS', value: entry => entry.targets.join(' '), flexible: true },
        ],
        out.width,
      ),
    );
    if (page.next_before_seq !== null) out.note(`Older rows: az audit show --before ${page.next_before_seq}`);
  },
};
export default command;
