/**
 * Terminal output: tables, money, ages, and sanitising text that came from models, tools or other users.
 *
 * Security: every string from the server passes through `clean` (protocol/terminal-text.ts, shared with the
 * dashboard) before it reaches a TTY.
 */

import { clean } from '../protocol/terminal-text.js';

export { clean };

export function formatUsd(microUsd: number | null | undefined): string {
  if (microUsd === null || microUsd === undefined) return '-';
  const dollars = microUsd / 1_000_000;
  if (dollars === 0) return '$0';
  if (Math.abs(dollars) < 0.01) return `$${dollars.toFixed(4)}`;
  return `$${dollars.toFixed(2)}`;
}

export function formatAge(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

export function truncate(text: string, width: number): string {
  if (width <= 1) return text.slice(0, Math.max(0, width));
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

export interface Column<Row> {
  header: string;
  value: (row: Row) => string;
  /** Columns marked flexible absorb the width left over (and are truncated first). */
  flexible?: boolean;
  align?: 'left' | 'right';
}

export function table<Row>(rows: readonly Row[], columns: readonly Column<Row>[], maxWidth = 120): string {
  const cells = rows.map(row => columns.map(column => clean(column.value(row))));
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...cells.map(line => (line[index] ?? '').length)),
  );
  const total = widths.reduce((sum, width) => sum + width, 0) + 2 * (columns.length - 1);
  if (total > maxWidth) {
    const flexible = columns.findIndex(column => column.flexible);
    if (flexible >= 0) {
      widths[flexible] = Math.max(8, (widths[flexible] ?? 0) - (total - maxWidth));
    }
  }
  const render = (values: readonly string[]): string =>
    values
      .map((value, index) => {
        const width = widths[index] ?? 0;
        const text = truncate(value, width);
        return columns[index]?.align === 'right' ? text.padStart(width) : text.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [render(columns.map(column => column.header)), ...cells.map(render)].join('\n');
}
