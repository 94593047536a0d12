/**
 * Detecting a model that repeats itself: the same tool with the same arguments several times in a row. The
 * third identical call is not run (the model is told to change course); a fourth stops the task.
 */

export const REPEAT_WARN_AT = 3;
export const REPEAT_STOP_AT = 4;

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonical(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

export interface RepeatTracker {
  /** Records a call and returns how many times in a row it has now been made. */
  record(name: string, args: unknown): number;
  /** How many times in a row this call would have been made, without recording it. */
  peek(name: string, args: unknown): number;
}

export function createRepeatTracker(): RepeatTracker {
  let last: string | undefined;
  let count = 0;
  const signature = (name: string, args: unknown): string => `${name}\u0000${canonical(args)}`;
  return {
    record(name, args) {
      const current = signature(name, args);
      count = current === last ? count + 1 : 1;
      last = current;
      return count;
    },
    peek(name, args) {
      return signature(name, args) === last ? count + 1 : 1;
    },
  };
}
