/**
 * Running caller-supplied patterns (search regexes, path globs) without letting them hang the server.
 *
 * Security: a regex like `(a+)+$` — or a glob like `*a*a*a*a*a*a*b`, which becomes one — backtracks for minutes
 * on a short line (ReDoS), and JavaScript regexes run on the event loop. Matching therefore runs inside a `vm`
 * context with a timeout: V8 interrupts running JavaScript, a regex included, when the timeout fires, so a
 * hostile pattern costs at most the remaining time budget. Work is handed over in batches because every timed
 * call starts a watchdog (tens of microseconds).
 */
import vm from 'node:vm';
import picomatch from 'picomatch';
import { ToolError } from '../errors.js';

export interface BoundedRunner {
  /** Runs `work` and returns its result, or throws `tooSlow()` when it is still running at `deadline`. */
  run<T>(work: () => T, deadline: number, tooSlow: () => ToolError): T;
}

/**
 * One per process is enough (runs are synchronous, so they never overlap), and creating a vm context costs
 * milliseconds: the server makes one and hands it to every call.
 */
export function createBoundedRunner(): BoundedRunner {
  const context = vm.createContext({ work: undefined as (() => unknown) | undefined });
  const call = new vm.Script('work()');
  return {
    run<T>(work: () => T, deadline: number, tooSlow: () => ToolError): T {
      const remaining = Math.floor(deadline - Date.now());
      if (remaining <= 0) throw tooSlow();
      context.work = work;
      try {
        return call.runInContext(context, { timeout: remaining }) as T;
      } catch (error) {
        if ((error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw tooSlow();
        throw error;
      } finally {
        context.work = undefined;
      }
    },
  };
}

export function compileSearchPattern(pattern: string, ignoreCase: boolean): RegExp {
  try {
    return new RegExp(pattern, ignoreCase ? 'gim' : 'gm');
  } catch (error) {
    throw new ToolError('INVALID_INPUT', `invalid regular expression: ${(error as Error).message}`, {
      hint: 'Use JavaScript regex syntax; escape special characters like ( [ { . * + ? with a backslash.',
    });
  }
}

/** A path glob as a predicate; a pattern without '/' matches names at any depth. */
export function compileGlob(glob: string): (path: string) => boolean {
  const pattern = glob.replace(/^\.\//, '');
  try {
    return picomatch(pattern, { dot: true, basename: !pattern.includes('/') });
  } catch (error) {
    throw new ToolError('INVALID_INPUT', `invalid glob '${glob}': ${(error as Error).message}`);
  }
}

export const globTooSlow = (): ToolError =>
  new ToolError('TIMEOUT', 'the glob took too long to match (too many wildcards in a row?)', {
    hint: "Simplify the pattern: fewer '*' next to each other, e.g. '**/*.ts' rather than '*a*b*c*d*'.",
  });

export const regexTooSlow = (): ToolError =>
  new ToolError('TIMEOUT', 'the regular expression took too long (catastrophic backtracking?)', {
    hint: 'Simplify the pattern: avoid nested quantifiers such as (a+)+ or (.*)*.',
  });

/**
 * Offsets of the first match on each matching line, per text; at most `limit` in total. Runs as it is: call
 * it inside a BoundedRunner.
 */
export function matchLines(regex: RegExp, texts: readonly string[], limit: number): number[][] {
  const results: number[][] = [];
  let total = 0;
  for (const text of texts) {
    const found: number[] = [];
    regex.lastIndex = 0;
    while (total < limit) {
      const match = regex.exec(text);
      if (match === null) break;
      found.push(match.index);
      total += 1;
      // One hit per line: continue at the line after the match.
      const newline = text.indexOf('\n', match.index + Math.max(match[0].length - 1, 0));
      if (newline === -1) break;
      regex.lastIndex = newline + 1;
    }
    results.push(found);
  }
  return results;
}
