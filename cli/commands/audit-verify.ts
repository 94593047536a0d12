import { verifyAuditLogTool } from '../../protocol/tools/audit-tools.js';
import type { Command } from '../command.js';
import { EXIT } from '../exit-codes.js';

const command: Command = {
  usage: 'az audit verify [--json]',
  summary: 'Check the audit log hash chain (exit 12 when a row was edited or deleted)',
  flags: {},
  args: 0,
  async run({ connect, out, globals }) {
    const client = await connect();
    const result = await client.call(verifyAuditLogTool, {});
    if (globals.json) out.json(result);
    else if (result.ok)
      out.print(
        `audit log intact: ${result.rows_checked} rows, last seq ${result.last_seq ?? '-'}` +
          (result.anchors > 0
            ? `; ${result.pruned_rows} older rows pruned under ${result.anchors} signed anchors`
            : ''),
      );
    else {
      out.print(`audit log BROKEN (${result.rows_checked} rows checked):`);
      for (const problem of result.problems) out.print(`  seq ${problem.seq}: ${problem.problem}`);
    }
    return result.ok ? EXIT.ok : EXIT.unhealthy;
  },
};
export default command;
