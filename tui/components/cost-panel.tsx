/**
 * Spend: today and in total against the budgets, calls in flight, by model, and a sparkline by day. From
 * get_cost_summary and get_budget when the server has them; otherwise summed from the task list, and the
 * panel says so.
 */
import { Box, Text } from 'ink';
import { clean } from '../../protocol/terminal-text.js';
import type { BudgetFigure, CostView } from '../data/cost-sync.js';
import type { Optional } from '../data/state.js';
import { fit, formatCount, formatUsd } from '../format.js';
import { useTheme } from '../hooks/use-theme.js';
import { BudgetBar, Sparkline } from './sparkline.js';

export interface CostPanelProps {
  cost: Optional<CostView>;
  /** Sums over the task list, for servers without cost tools. */
  fallback: CostView;
  width: number;
  height: number;
}

const LABEL_WIDTH = 13;

function Figure({
  label,
  spent,
  budget,
  width,
  budgetsKnown,
}: {
  label: string;
  spent: number;
  budget: BudgetFigure | undefined;
  width: number;
  /** Whether the server reports budgets at all (no get_budget: say nothing about them). */
  budgetsKnown: boolean;
}) {
  return (
    <Text wrap="truncate">
      {fit(label, LABEL_WIDTH)} {fit(formatUsd(spent), 10, 'right')}
      {budget ? (
        <>
          {` of ${fit(formatUsd(budget.limitMicroUsd), 10)} `}
          <BudgetBar
            spent={spent + budget.reservedMicroUsd}
            budget={budget.limitMicroUsd}
            width={Math.max(5, Math.min(30, width - 60))}
          />
        </>
      ) : budgetsKnown ? (
        <Text dimColor> (no budget set)</Text>
      ) : null}
    </Text>
  );
}

function sourceNote(cost: Optional<CostView>, view: CostView): string {
  switch (cost.state) {
    case 'unavailable':
      return 'cost tracking (get_cost_summary) is not available on this server: figures are summed from the task list';
    case 'error':
      return `cost summary failed: ${clean(cost.message)} — showing sums from the task list`;
    case 'loading':
      return 'loading cost summary…';
    case 'ready': {
      const tokens = view.tokens;
      return [
        'from get_cost_summary',
        view.calls !== undefined ? `${formatCount(view.calls)} model calls` : '',
        tokens
          ? `${formatCount(tokens.input)} in (${formatCount(tokens.cachedInput)} cached) / ${formatCount(tokens.output)} out tokens`
          : '',
      ]
        .filter(Boolean)
        .join(' · ');
    }
  }
}

export function CostPanel({ cost, fallback, width, height }: CostPanelProps) {
  const theme = useTheme();
  const view = cost.state === 'ready' ? cost.value : fallback;
  const budgetsKnown = view.budgets !== undefined;
  const lines: React.ReactNode[] = [];
  if (view.inFlight && view.inFlight.calls > 0) {
    lines.push(
      <Text key="flight" wrap="truncate" color={theme.tint('cyan')}>
        in flight: {view.inFlight.calls} model call{view.inFlight.calls === 1 ? '' : 's'},{' '}
        {formatUsd(view.inFlight.reservedMicroUsd)} reserved against the budgets
      </Text>,
    );
  }
  if (view.unknownCostCalls > 0) {
    lines.push(
      <Text key="unknown" wrap="truncate" color={theme.tint('yellow')}>
        {view.unknownCostCalls} call{view.unknownCostCalls === 1 ? '' : 's'} of unknown cost (model not in the
        price table, or interrupted): the figures are floors
      </Text>,
    );
  }
  const values = view.byDay.map(day => day.costMicroUsd);
  const sparkWidth = Math.max(7, Math.min(60, width - 45));
  const firstShown = view.byDay[Math.max(0, view.byDay.length - sparkWidth)]?.day ?? '';
  const modelRows = Math.max(0, height - 7 - lines.length);
  return (
    <Box flexDirection="column" height={height}>
      <Text wrap="truncate">
        <Text bold>Spend</Text> <Text dimColor>{sourceNote(cost, view)}</Text>
      </Text>
      <Figure
        label={`today (${view.today.zone})`}
        spent={view.todayMicroUsd}
        budget={view.budgets?.day}
        width={width}
        budgetsKnown={budgetsKnown}
      />
      <Figure
        label="total"
        spent={view.totalMicroUsd}
        budget={view.budgets?.total}
        width={width}
        budgetsKnown={budgetsKnown}
      />
      {lines}
      <Text wrap="truncate">
        <Text bold>By day </Text>
        {values.some(value => value > 0) ? (
          <>
            <Sparkline values={values} width={sparkWidth} />
            <Text dimColor>
              {' '}
              {clean(firstShown)}…{clean(view.byDay.at(-1)?.day ?? '')} · max {formatUsd(Math.max(...values))}
            </Text>
          </>
        ) : (
          <Text dimColor>no spend in the last {view.byDay.length} days</Text>
        )}
      </Text>
      <Text bold>By model</Text>
      {view.byModel.length === 0 ? <Text dimColor>no spend recorded</Text> : null}
      {view.byModel.slice(0, modelRows).map(row => (
        <Text key={row.model} wrap="truncate">
          {fit(clean(row.model), Math.min(30, Math.max(12, width - 40)))}{' '}
          {fit(formatUsd(row.costMicroUsd), 10, 'right')}
          {row.calls !== undefined ? ` ${fit(`${formatCount(row.calls)} calls`, 12, 'right')}` : ''}
          {row.unknownCostCalls > 0 ? <Text dimColor> {row.unknownCostCalls} unpriced</Text> : null}
        </Text>
      ))}
    </Box>
  );
}
