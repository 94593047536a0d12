/**
 * The permission policy: decides allow / ask / deny for one operation of a file, shell or process tool from
 * the `security` configuration. Pure (configuration in, decision out), so every rule is testable alone.
 *
 * Order: the tool's own setting, then for each path the first matching path rule (or, when none matches, the
 * protected list: .git internals, .env*, security.protected_paths → ask), then for each command in a shell
 * line the first matching command rule. The strictest answer wins (deny > ask > allow), and its reasons say
 * exactly which setting decided and how to change it.
 *
 * Security: the inputs are the configuration and the operation — never anything a tool returned — so no file
 * content or command output can change a permission.
 */
import picomatch from 'picomatch';
import type { Operation } from '../../tools/access.js';
import type { PermissionAction, SecurityConfig } from '../config/security-schema.js';
import { matchCommandRules } from './command-rules.js';

export interface PolicyPath {
  real: string;
  /** Relative to the root that contains it, with '/' separators ('.' for the root). */
  relative: string;
}

export interface PolicyRequest {
  tool: string;
  operation: Operation;
  paths: readonly PolicyPath[];
  command?: string | undefined;
}

export interface PolicyDecision {
  action: PermissionAction;
  /** Why, for the strictest action (empty for a plain allow). */
  reasons: string[];
  /** How to change it. */
  hints: string[];
}

const RANK: Record<PermissionAction, number> = { allow: 0, ask: 1, deny: 2 };

/** Why a path is protected (needs explicit permission), or undefined. */
export function builtinProtection(relative: string): string | undefined {
  const parts = relative.split('/');
  if (parts.includes('.git')) return 'inside .git, the repository internals (hooks and config can run code)';
  if ((parts.at(-1) ?? '').startsWith('.env'))
    return 'an environment file (.env*), which usually holds secrets';
  return undefined;
}

export type Policy = ReturnType<typeof createPolicy>;

export function createPolicy() {
  const globs = new Map<string, (path: string) => boolean>();
  const glob = (pattern: string): ((path: string) => boolean) => {
    let matcher = globs.get(pattern);
    if (!matcher) {
      matcher = picomatch(pattern, { dot: true });
      if (globs.size > 1024) globs.clear();
      globs.set(pattern, matcher);
    }
    return matcher;
  };
  const matches = (pattern: string, path: PolicyPath): boolean =>
    pattern.startsWith('/') ? glob(pattern)(path.real) : glob(pattern.replace(/^\.\//, ''))(path.relative);

  return {
    evaluate(security: SecurityConfig, request: PolicyRequest): PolicyDecision {
      const verdicts: { action: PermissionAction; reason: string; hint: string }[] = [];
      const toolAction = (security.tools as Record<string, PermissionAction | undefined>)[request.tool];
      if (toolAction !== undefined && toolAction !== 'allow') {
        verdicts.push({
          action: toolAction,
          reason: `security.tools.${request.tool} is '${toolAction}'`,
          hint: `To allow ${request.tool} without asking: az config set security.tools.${request.tool} allow`,
        });
      }
      const kind = request.operation === 'read' ? 'read' : 'write';
      for (const path of request.paths) {
        const rule = security.paths.find(
          candidate =>
            (candidate.access === 'any' || candidate.access === kind) && matches(candidate.pattern, path),
        );
        if (rule) {
          if (rule.action !== 'allow') {
            verdicts.push({
              action: rule.action,
              reason: `'${path.relative}' matches the path rule '${rule.pattern}' (${rule.action})`,
              hint: 'Path rules are in security.paths (az config get security.paths).',
            });
          }
          continue;
        }
        const extra = security.protected_paths.find(pattern => matches(pattern, path));
        const reason =
          builtinProtection(path.relative) ??
          (extra ? `protected by security.protected_paths ('${extra}')` : undefined);
        if (reason) {
          verdicts.push({
            action: 'ask',
            reason: `'${path.relative}' is ${reason}`,
            hint:
              `To allow it without asking, add a path rule such as {"pattern": "${path.relative}", "action": "allow"} ` +
              "to security.paths (az config set security.paths '[…]').",
          });
        }
      }
      if (request.command !== undefined) {
        for (const hit of matchCommandRules(request.command, security.commands)) {
          if (hit.action === 'allow') continue;
          verdicts.push({
            action: hit.action,
            reason: `the command '${hit.command}' matches the command rule '${hit.rule.pattern}' (${hit.action})`,
            hint: 'Command rules are in security.commands (az config get security.commands).',
          });
        }
      }
      const strictest = verdicts.reduce<PermissionAction>(
        (worst, verdict) => (RANK[verdict.action] > RANK[worst] ? verdict.action : worst),
        'allow',
      );
      const deciding = verdicts.filter(verdict => verdict.action === strictest);
      return {
        action: strictest,
        reasons: deciding.map(verdict => verdict.reason),
        hints: [...new Set(deciding.map(verdict => verdict.hint))],
      };
    },
  };
}
