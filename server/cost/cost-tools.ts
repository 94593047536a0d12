/** The cost tools (get_cost_summary, get_budget, set_budget) and the azos://cost resource. */
import type { McpServer } from '@modelcontextprotocol/server';
import { AppError } from '../../protocol/errors.js';
import { RESOURCE_URIS, taskUri } from '../../protocol/resources.js';
import { costSummaryTool, getBudgetTool, setBudgetTool } from '../../protocol/tools/cost-tools.js';
import type { Core } from '../core.js';
import { implementTool, type ToolDefinition } from '../mcp/tool-definition.js';
import type { InstanceSetup } from '../mcp/register-tools.js';
import type { CostLedger } from './ledger.js';
import { usdToMicro } from './money.js';
import { costSummary } from './summary.js';

export function costTools(ledger: CostLedger): ToolDefinition[] {
  const summary = implementTool(costSummaryTool, (args, { core }) =>
    costSummary(core.db, {
      groupBy: args.group_by ?? 'model',
      since: args.since,
      until: args.until,
      taskId: args.task_id,
      limit: args.limit ?? 50,
    }),
  );
  const getBudget = implementTool(getBudgetTool, args => ({
    budgets: [
      ...(args.task_id ? [ledger.budgetState('task', args.task_id)] : []),
      ledger.budgetState('day'),
      ledger.budgetState('total'),
    ],
  }));
  const setBudget = implementTool(setBudgetTool, (args, { core }) => {
    const limit = args.limit_usd === null ? null : usdToMicro(args.limit_usd);
    if (args.scope === 'task') {
      if (!args.task_id)
        throw new AppError('INVALID_INPUT', 'scope task needs task_id', {
          hint: 'Pass the task id whose budget to set.',
        });
      core.taskStore.getRow(args.task_id);
      core.db
        .prepare('UPDATE tasks SET budget_micro_usd = ?, updated_at = ? WHERE id = ?')
        .run(limit, Date.now(), args.task_id);
      core.feed.publish(taskUri(args.task_id));
      core.feed.publishAggregate(RESOURCE_URIS.cost);
      return { budget: ledger.budgetState('task', args.task_id) };
    }
    if (args.task_id)
      throw new AppError('INVALID_INPUT', `task_id only goes with scope task (not ${args.scope})`);
    ledger.setBudget(args.scope, limit);
    return { budget: ledger.budgetState(args.scope) };
  });
  return [summary, getBudget, setBudget] as unknown as ToolDefinition[];
}

/** azos://cost on every MCP server instance (changes are published by the ledger through the change feed). */
export function costResource(core: Core, ledger: CostLedger): InstanceSetup {
  return (server: McpServer) => {
    server.registerResource(
      'cost',
      RESOURCE_URIS.cost,
      {
        title: 'Cost',
        description: "Spend by model, today's and total spend, and the budgets (micro-dollars)",
        mimeType: 'application/json',
      },
      uri => {
        const byModel = costSummary(core.db, { groupBy: 'model', limit: 20 });
        const byDay = costSummary(core.db, { groupBy: 'day', limit: 7 });
        const value = {
          total: byModel.total,
          in_flight: byModel.in_flight,
          by_model: byModel.groups,
          last_days: byDay.groups,
          budgets: [ledger.budgetState('day'), ledger.budgetState('total')],
        };
        return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(value) }] };
      },
    );
  };
}
