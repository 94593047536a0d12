import { AppError } from '../../protocol/errors.js';
import { getBudgetTool, setBudgetTool, type BudgetState } from '../../protocol/tools/cost-tools.js';
import type { Command } from '../command.js';
import { formatCost } from '../cost-format.js';
import { table } from '../output.js';

function parseLimit(text: string): number | null {
  if (text === 'none' || text === 'off') return null;
  const value = Number(text.replace(/^\$/, ''));
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new AppError('INVALID_INPUT', `'${text}' is not an amount of US dollars`, {
      hint: 'Give a number such as 5 or 0.50, or none to remove the budget.',
    });
  }
  return value;
}

function budgetTable(budgets: readonly BudgetState[], width: number): string {
  return table(
    budgets,
    [
      {
        header: 'SCOPE',
        value: budget => (budget.scope === 'total' ? 'total' : `${budget.scope} ${budget.key.slice(0, 10)}`),
      },
      {
        header: 'LIMIT',
        value: budget => (budget.limit_micro_usd === null ? 'none' : formatCost(budget.limit_micro_usd)),
        align: 'right',
      },
      { header: 'SPENT', value: budget => formatCost(budget.spent_micro_usd), align: 'right' },
      { header: 'RESERVED', value: budget => formatCost(budget.reserved_micro_usd), align: 'right' },
      {
        header: 'REMAINING',
        value: budget => (budget.remaining_micro_usd === null ? '-' : formatCost(budget.remaining_micro_usd)),
        align: 'right',
      },
    ],
    width,
  );
}

const command: Command = {
  usage: 'az cost budget [day|total USD|none] [task ID [USD|none]] [--json]',
  summary: 'Show or set the spending caps (per task, per UTC day, total)',
  flags: {},
  args: [0, 3],
  details:
    "Examples:\n  az cost budget                 show today's and the total budget\n" +
    '  az cost budget day 5           at most $5 per UTC day\n  az cost budget total none      remove the total cap\n' +
    '  az cost budget task ID 0.50    cap one task\n' +
    'A task that reaches a cap fails with BUDGET_EXCEEDED (exit 8); raise the cap and `az task resume ID`.',
  async run({ connect, out, globals, input }) {
    const [scope, first, second] = input;
    if (scope !== undefined && !['day', 'total', 'task'].includes(scope)) {
      throw new AppError('INVALID_INPUT', `unknown budget scope '${scope}'`, {
        hint: 'Use day, total or task ID.',
      });
    }
    const client = await connect();
    const amount = scope === 'task' ? second : first;
    if (scope === 'task' && first === undefined)
      throw new AppError('INVALID_INPUT', 'give the task id: az cost budget task ID [USD]');
    if (scope !== 'task' && second !== undefined)
      throw new AppError('INVALID_INPUT', `too many arguments for the ${scope} budget`);
    if (scope !== undefined && amount !== undefined) {
      const { budget } = await client.call(setBudgetTool, {
        scope: scope as 'day' | 'total' | 'task',
        ...(scope === 'task' ? { task_id: first } : {}),
        limit_usd: parseLimit(amount),
      });
      if (globals.json) out.json({ budget });
      else out.print(budgetTable([budget], out.width));
      return;
    }
    if (scope !== undefined && scope !== 'task')
      throw new AppError('INVALID_INPUT', `give an amount: az cost budget ${scope} USD (or none)`);
    const { budgets } = await client.call(getBudgetTool, scope === 'task' ? { task_id: first } : {});
    if (globals.json) out.json({ budgets });
    else out.print(budgetTable(budgets, out.width));
  },
};
export default command;
