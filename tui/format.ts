/** How numbers, money, times and cells look in the dashboard. Pure functions; text is cleaned by callers. */

/**
 * Dollars from integer micro-dollars: `$0`, `$0.000228`, `$0.0042`, `$1.27`, `-` when unknown. Amounts under a
 * cent keep every micro-dollar (a model call often costs a fraction of one), without trailing zeros.
 */
export function formatUsd(microUsd: number | null | undefined): string {
  if (microUsd === null || microUsd === undefined || !Number.isFinite(microUsd)) return '-';
  const dollars = microUsd / 1_000_000;
  if (dollars === 0) return '$0';
  if (Math.abs(dollars) < 0.01) return `$${dollars.toFixed(6).replace(/0{1,2}$/, '')}`;
  if (Math.abs(dollars) >= 10_000) return `$${Math.round(dollars).toLocaleString('en-US')}`;
  return `$${dollars.toFixed(2)}`;
}

/** A count with thousands separators: `4,200`. */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** A compact age: `42s`, `7m`, `3h`, `12d`. */
export function formatAge(iso: string, now: number): string {
  const parsed = Date.parse(iso);
  if (Number.isNaN(parsed)) return '?';
  const seconds = Math.max(0, Math.round((now - parsed) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '-';
  if (seconds < 60) return `${Math.round(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${Math.round(seconds % 60)}s`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m`;
  return `${Math.floor(seconds / 86_400)}d ${Math.floor((seconds % 86_400) / 3600)}h`;
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '-';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

/** `HH:MM:SS` in local time from an ISO timestamp. */
export function formatClock(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '--:--:--';
  return [date.getHours(), date.getMinutes(), date.getSeconds()]
    .map(part => String(part).padStart(2, '0'))
    .join(':');
}

/**
 * Fits text into exactly `width` terminal cells: truncated with an ellipsis, or padded. Wide characters (CJK,
 * emoji) count as two cells so columns stay aligned.
 */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  let cells = 0;
  let out = '';
  const chars = Array.from(text);
  const total = chars.reduce((sum, char) => sum + cellWidth(char), 0);
  if (total <= width) {
    const pad = ' '.repeat(width - total);
    return align === 'right' ? pad + text : text + pad;
  }
  for (const char of chars) {
    const next = cellWidth(char);
    if (cells + next > width - 1) break;
    out += char;
    cells += next;
  }
  return `${out}…${' '.repeat(Math.max(0, width - 1 - cells))}`;
}

/** Terminal cells one character takes: 0 for combining marks, 2 for wide East Asian characters and emoji. */
export function cellWidth(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  if (code === 0) return 0;
  if (code >= 0x300 && code <= 0x36f) return 0;
  if (code === 0x200b || code === 0x200d || (code >= 0xfe00 && code <= 0xfe0f)) return 0;
  if (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** Compact JSON for one line: strings unquoted at the top level are not special-cased; long values truncated. */
export function compactJson(value: unknown, max = 400): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
