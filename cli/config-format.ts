/** Printing configuration entries. */
import type { ConfigEntry } from '../protocol/tools/system-tools.js';
import { clean, table } from './output.js';

export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function entriesTable(entries: readonly ConfigEntry[], width: number): string {
  return table(
    entries,
    [
      { header: 'KEY', value: entry => entry.key },
      { header: 'VALUE', value: entry => clean(formatValue(entry.value)), flexible: true },
      { header: 'SOURCE', value: entry => entry.source },
    ],
    width,
  );
}
