/**
 * Running a caller-supplied regular expression without letting it hang the server.
 *
 * Security: a pattern like `(a+)+$` backtracks for minutes on a short line (ReDoS), and JavaScript regexes
 * run on the event loop. Matching runs inside a `vm` context with a timeout: V8 interrupts a running regex
 * when the timeout fires, so a hostile pattern costs at most the remaining time budget. Texts are matched
 * in batches because every timed vm call starts a watchdog.
 */
import vm from 'node:vm';
import { ToolError } from '../errors.js';

const MATCH_SOURCE = `(function (re, texts, limit) {
  const results = [];
  let total = 0;
  for (const text of texts) {
    const found = [];
    re.lastIndex = 0;
    while (total < limit) {
      const match = re.exec(text);
      if (match === null) break;
      found.push(match.index);
      total += 1;
      // One hit per line: continue at the line after the match.
      const end = match.index + Math.max(match[0].length - 1, 0);
      const newline = text.indexOf('\\n', end);
      if (newline === -1) break;
      re.lastIndex = newline + 1;
    }
    results.push(found);
  }
  return results;
})`;

export interface RegexRunner {
  /** Start offsets of matching lines' first matches, per text; at most `limit` in total. */
  matchBatch(texts: readonly string[], limit: number, deadline: number): number[][];
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

export function createRegexRunner(regex: RegExp): RegexRunner {
  const context = vm.createContext({ re: regex, texts: [] as readonly string[], limit: 0 });
  const match = new vm.Script(MATCH_SOURCE).runInContext(context) as unknown;
  context.match = match;
  const call = new vm.Script('match(re, texts, limit)');
  return {
    matchBatch(texts, limit, deadline) {
      const remaining = Math.floor(deadline - Date.now());
      if (remaining <= 0) throw new ToolError('TIMEOUT', 'the search ran out of time');
      context.texts = texts;
      context.limit = limit;
      try {
        return call.runInContext(context, { timeout: remaining }) as number[][];
      } catch (error) {
        if ((error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
          throw new ToolError(
            'TIMEOUT',
            'the regular expression took too long (catastrophic backtracking?)',
            {
              hint: 'Simplify the pattern: avoid nested quantifiers such as (a+)+ or (.*)*.',
            },
          );
        }
        throw error;
      } finally {
        context.texts = [];
      }
    },
  };
}
