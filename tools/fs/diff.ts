/**
 * Unified diffs of two texts (what edit_file returns, so the model sees exactly what changed). Lines common to
 * the start and end are trimmed first; the middle is diffed with Myers' O(ND) algorithm, keeping only the
 * diagonals each step touched, so memory grows with the size of the change rather than the file.
 */

type Op = { kind: ' ' | '-' | '+'; text: string };

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

function myers(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d += 1) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number))
          ? (v[offset + k + 1] as number)
          : (v[offset + k - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x += 1;
        y += 1;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d -= 1) {
    const saved = trace[d] as Int32Array;
    const at = (k: number): number => saved[k + d + 1] as number;
    const k = x - y;
    const previousK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const previousX = at(previousK);
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      x -= 1;
      y -= 1;
      ops.push({ kind: ' ', text: a[x] as string });
    }
    if (x === previousX) {
      y -= 1;
      ops.push({ kind: '+', text: b[y] as string });
    } else {
      x -= 1;
      ops.push({ kind: '-', text: a[x] as string });
    }
  }
  while (x > 0 && y > 0) {
    x -= 1;
    y -= 1;
    ops.push({ kind: ' ', text: a[x] as string });
  }
  return ops.reverse();
}

export interface DiffStats {
  added: number;
  removed: number;
}

/** A unified diff with `context` lines around each change; empty when the texts are equal. */
export function unifiedDiff(
  before: string,
  after: string,
  name: string,
  context = 3,
): { diff: string } & DiffStats {
  const a = splitLines(before);
  const b = splitLines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head += 1;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail += 1;
  }
  const ops: Op[] = [
    ...a.slice(0, head).map(text => ({ kind: ' ' as const, text })),
    ...myers(a.slice(head, a.length - tail), b.slice(head, b.length - tail)),
    ...a.slice(a.length - tail).map(text => ({ kind: ' ' as const, text })),
  ];
  const added = ops.filter(op => op.kind === '+').length;
  const removed = ops.filter(op => op.kind === '-').length;
  if (added === 0 && removed === 0) return { diff: '', added, removed };
  const lines = [`--- a/${name}`, `+++ b/${name}`];
  let index = 0;
  let lineA = 1;
  let lineB = 1;
  while (index < ops.length) {
    // Skip to the next change, keeping `context` lines before it.
    let change = index;
    while (change < ops.length && (ops[change] as Op).kind === ' ') change += 1;
    if (change === ops.length) break;
    const start = Math.max(index, change - context);
    lineA += start - index;
    lineB += start - index;
    // Extend the hunk while changes are closer than 2 × context.
    let end = change;
    let quiet = 0;
    while (end < ops.length && quiet <= 2 * context) {
      quiet = (ops[end] as Op).kind === ' ' ? quiet + 1 : 0;
      end += 1;
    }
    end -= Math.max(0, quiet - context);
    const hunk = ops.slice(start, end);
    const countA = hunk.filter(op => op.kind !== '+').length;
    const countB = hunk.filter(op => op.kind !== '-').length;
    lines.push(
      `@@ -${countA === 0 ? lineA - 1 : lineA},${countA} +${countB === 0 ? lineB - 1 : lineB},${countB} @@`,
    );
    for (const op of hunk) lines.push(`${op.kind}${op.text}`);
    lineA += countA;
    lineB += countB;
    index = end;
  }
  return { diff: `${lines.join('\n')}\n`, added, removed };
}
