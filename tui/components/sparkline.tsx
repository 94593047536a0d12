/** A sparkline and a budget bar: spend at a glance, in plain characters (readable without colour). */
import { Text } from 'ink';
import { useTheme } from '../hooks/use-theme.js';

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** One character per value, scaled to the largest; the last `width` values when there are more. */
export function sparkline(values: readonly number[], width: number): string {
  const shown = values.slice(-Math.max(1, width));
  const max = Math.max(0, ...shown);
  return shown
    .map(value =>
      max <= 0 || value <= 0 ? BLOCKS[0] : BLOCKS[Math.min(7, Math.max(0, Math.ceil((value / max) * 8) - 1))],
    )
    .join('');
}

export function Sparkline({ values, width }: { values: readonly number[]; width: number }) {
  const theme = useTheme();
  return <Text color={theme.tint('cyan')}>{sparkline(values, width)}</Text>;
}

export function BudgetBar({ spent, budget, width }: { spent: number; budget: number; width: number }) {
  const theme = useTheme();
  const share = budget > 0 ? spent / budget : 0;
  const filled = Math.min(width, Math.round(Math.min(1, share) * width));
  const colour = share >= 1 ? 'red' : share >= 0.75 ? 'yellow' : 'green';
  return (
    <Text>
      <Text color={theme.tint(colour)}>{'█'.repeat(filled)}</Text>
      <Text dimColor>{'░'.repeat(Math.max(0, width - filled))}</Text> {Math.round(share * 100)}%
    </Text>
  );
}
