/**
 * Matching command rules against a shell command line. The line is split into the commands it runs (at ;, &,
 * |, newlines, subshells and command substitutions), leading variable assignments and wrappers such as
 * `sudo`, `env` or `nohup` are looked through, and each command is matched on its own.
 *
 * Security: this is a convenience for steering models ("ask before git push"), NOT a security boundary —
 * shell quoting and indirection (eval, scripts, aliases) can always hide a command. The sandbox is the
 * boundary; the README says so.
 */
import type { CommandRule, PermissionAction } from '../config/security-schema.js';

const SEPARATORS = /\|\||&&|[;&|\n`()]|\$\(/g;
const WRAPPERS = new Set([
  'sudo',
  'env',
  'command',
  'exec',
  'nohup',
  'time',
  'nice',
  'timeout',
  'xargs',
  'builtin',
]);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=\S*$/;

/** The commands a line runs, whitespace-normalised, each also without its wrappers. */
export function commandsOf(line: string): string[] {
  const found = new Set<string>();
  for (const piece of line.split(SEPARATORS)) {
    const words = piece.replace(/[{}]/g, ' ').trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) continue;
    found.add(words.join(' '));
    let start = 0;
    while (
      start < words.length &&
      (ASSIGNMENT.test(words[start] as string) ||
        WRAPPERS.has(words[start] as string) ||
        (start > 0 && WRAPPERS.has(words[start - 1] as string) && /^-/.test(words[start] as string)))
    ) {
      start += 1;
    }
    if (start > 0 && start < words.length) found.add(words.slice(start).join(' '));
  }
  return [...found];
}

/**
 * `*` matches any run of characters, everything else itself. Greedy two-pointer matching, at most
 * O(pattern × text) steps: no regex, so a rule cannot backtrack for ever on a long command line.
 */
export function wildcardMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === text[t]) {
      p += 1;
      t += 1;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p;
      resume = t;
      p += 1;
    } else if (star !== -1) {
      p = star + 1;
      resume += 1;
      t = resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p += 1;
  return p === pattern.length;
}

export interface CommandVerdict {
  action: PermissionAction;
  rule: CommandRule;
  command: string;
}

/** The first matching rule for each command in the line (commands without a matching rule are left out). */
export function matchCommandRules(line: string, rules: readonly CommandRule[]): CommandVerdict[] {
  if (rules.length === 0) return [];
  const compiled = rules.map(rule => ({ rule, pattern: rule.pattern.trim().split(/\s+/).join(' ') }));
  const verdicts: CommandVerdict[] = [];
  for (const command of commandsOf(line)) {
    const hit = compiled.find(({ pattern }) => wildcardMatch(pattern, command));
    if (hit) verdicts.push({ action: hit.rule.action, rule: hit.rule, command });
  }
  return verdicts;
}
