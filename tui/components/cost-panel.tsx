/**
 * Spend: today and in total against the budgets, by model, and a sparkline by day. From get_cost_summary and
 * get_budget when the server has them; otherwise summed from the task list, and the panel says so.
 */
import { Box, Text } from 'ink';
import { clean } from '../../protocol/terminal-text.js';
import type { CostView } from '../data/optional-tools.js';
import type { Optional } from '../data/state.js';
import { fit, formatUsd } from '../format.js';
import { BudgetBar, Sparkline } from './sparkline.js';

export interface CostPanelProps {
  cost: Optional<CostView>;
  /** Sums over the task list, for servers without cost tools. */
  fallback: CostView;
  width: number;
  height: number;
}

function Figure({
  label,
  spent,
  budget,
  width,
}: {
  label: string;
  spent: number | undefined;
  budget: number | undefined;
  width: number;
}) {
  return (
    <Text wrap="truncate">
      {fit(label, 8)} {fit(formatUsd(spent), 10, 'right')}
      {budget !== undefined ? ` of ${fit(formatUsd(budget), 10)} ` : ''}
      {budget !== undefined && spent !== undefined ? (
        <BudgetBar spent={spent} budget={budget} width={Math.max(5, Math.min(30, width - 45))} />
      ) : budget === undefined ? (
        <Text dimColor> (no budget set)</Text>
      ) : null}
    </Text>
  );
}

export function CostPanel({ cost, fallback, width, height }: CostPanelProps) {
  const view = cost.state === 'ready' ? cost.value : fallback;
  const note =
    cost.state === 'unavailable'
      ? 'cost tracking (get_cost_summary) is not available on this server: figures are summed from the task list'
      : cost.state === 'error'
        ? `cost summary failed: ${clean(cost.message)} — showing sums from the task list`
        : cost.state === 'loading'
          ? 'loading cost summary…'
          : 'from get_cost_summary' +
            (view.budgets.daily !== undefined || view.budgets.total !== undefined ? ' and get_budget' : '');
  const modelRows = Math.max(0, height - 10);
  const values = view.byDay.map(day => day.costMicroUsd);
  return (
    <Box flexDirection="column" height={height}>
      <Text bold>Spend</Text>
      <Text dimColor>{note}</Text>
      <Figure label="today" spent={view.todayMicroUsd} budget={view.budgets.daily} width={width} />
      <Figure label="total" spent={view.totalMicroUsd} budget={view.budgets.total} width={width} />
      {view.budgets.perTask !== undefined ? (
        <Text>per-task budget {formatUsd(view.budgets.perTask)}</Text>
      ) : null}
      <Text> </Text>
      <Text wrap="truncate">
        <Text bold>By day </Text>
        {values.length > 0 ? (
          <>
            <Sparkline values={values} width={Math.max(7, Math.min(60, width - 40))} />
            <Text dimColor>
              {' '}
              {clean(view.byDay[Math.max(0, view.byDay.length - Math.min(60, width - 40))]?.day ?? '')}…
              {clean(view.byDay.at(-1)?.day ?? '')} · max {formatUsd(Math.max(...values))}
            </Text>
          </>
        ) : (
          <Text dimColor>no daily figures</Text>
        )}
      </Text>
      <Text bold>By model</Text>
      {view.byModel.length === 0 ? <Text dimColor>no spend recorded</Text> : null}
      {view.byModel.slice(0, modelRows).map(row => (
        <Text key={row.model} wrap="truncate">
          {fit(clean(row.model), Math.min(30, Math.max(12, width - 40)))}{' '}
          {fit(formatUsd(row.costMicroUsd), 10, 'right')}
          {row.calls !== undefined ? ` ${fit(`${row.calls} calls`, 12, 'right')}` : ''}
        </Text>
      ))}
    </Box>
  );
}
