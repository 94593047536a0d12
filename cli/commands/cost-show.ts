import { AppError } from '../../protocol/errors.js';
import { COST_GROUPS, costSummaryTool } from '../../protocol/tools/cost-tools.js';
import type { Command } from '../command.js';
import { formatCost } from '../cost-format.js';
import { clean, table } from '../output.js';

const command: Command = {
  usage: 'az cost show [--by task|model|day] [--since DAY] [--until DAY] [--task ID] [--json]',
  summary: 'Show what model calls cost, by task, model or day',
  flags: {
    by: { type: 'string', description: `Group by ${COST_GROUPS.join(', ')} (default model)` },
    since: { type: 'string', description: 'First UTC day (YYYY-MM-DD)' },
    until: { type: 'string', description: 'Last UTC day (YYYY-MM-DD)' },
    task: { type: 'string', description: 'Only this task' },
    limit: { type: 'number', description: 'Rows to show (default 50)' },
  },
  args: 0,
  details:
    'Costs come from the LiteLLM proxy when it reports them, else from the price table; "+N unknown" counts calls whose price is unknown.',
  async run({ connect, out, globals, flags }) {
    const by = (flags.by as string | undefined) ?? 'model';
    if (!(COST_GROUPS as readonly string[]).includes(by)) {
      throw new AppError('INVALID_INPUT', `cannot group by '${by}'`, {
        hint: `Use --by ${COST_GROUPS.join(', --by ')}.`,
      });
    }
    const client = await connect();
    const summary = await client.call(costSummaryTool, {
      group_by: by as (typeof COST_GROUPS)[number],
      since: flags.since as string | undefined,
      until: flags.until as string | undefined,
      task_id: flags.task as string | undefined,
      limit: flags.limit as number | undefined,
    });
    if (globals.json) {
      out.json(summary);
      return;
    }
    if (summary.total.calls === 0) {
      out.note('No model calls recorded yet.');
      return;
    }
    const cost = (row: { cost_micro_usd: number; unknown_cost_calls: number }): string =>
      `${formatCost(row.cost_micro_usd)}${row.unknown_cost_calls > 0 ? ` +${row.unknown_cost_calls} unknown` : ''}`;
    out.print(
      table(
        summary.groups,
        [
          { header: by.toUpperCase(), value: row => (by === 'task' ? row.key.slice(0, 8) : row.key) },
          ...(by === 'task'
            ? [
                {
                  header: 'TITLE',
                  value: (row: (typeof summary.groups)[number]) => row.label ?? '',
                  flexible: true,
                },
              ]
            : []),
          { header: 'CALLS', value: row => String(row.calls), align: 'right' },
          { header: 'INPUT', value: row => String(row.input_tokens), align: 'right' },
          { header: 'CACHED', value: row => String(row.cached_input_tokens), align: 'right' },
          { header: 'OUTPUT', value: row => String(row.output_tokens), align: 'right' },
          { header: 'COST', value: cost, align: 'right' },
        ],
        out.width,
      ),
    );
    out.print(`total: ${summary.total.calls} calls, ${clean(cost(summary.total))}`);
    if (summary.in_flight.calls > 0) {
      out.print(
        `in flight: ${summary.in_flight.calls} calls holding ${formatCost(summary.in_flight.reserved_micro_usd)} of budget`,
      );
    }
  },
};
export default command;
