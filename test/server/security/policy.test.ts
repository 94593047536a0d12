import { describe, expect, it } from 'vitest';
import { SecuritySchema } from '../../../server/config/security-schema.js';
import { commandsOf, wildcardMatch } from '../../../server/security/command-rules.js';
import { createPolicy, type PolicyRequest } from '../../../server/security/policy.js';

const policy = createPolicy();
const security = (input: Record<string, unknown> = {}) => SecuritySchema().parse(input);
const path = (relative: string) => ({ real: `/ws/${relative}`, relative });
const request = (overrides: Partial<PolicyRequest>): PolicyRequest => ({
  tool: 'read_file',
  operation: 'read',
  paths: [],
  ...overrides,
});

describe('the permission policy', () => {
  it('allows everything by default except protected paths, which need approval', () => {
    expect(policy.evaluate(security(), request({ paths: [path('src/a.ts')] })).action).toBe('allow');
    for (const protectedPath of [
      '.env',
      'app/.env.local',
      '.envrc',
      '.git/config',
      'sub/.git/hooks/pre-commit',
    ]) {
      const decision = policy.evaluate(security(), request({ paths: [path(protectedPath)] }));
      expect(decision.action, protectedPath).toBe('ask');
      expect(decision.hints[0]).toContain('security.paths');
    }
    for (const ordinary of ['.gitignore', '.github/workflows/ci.yml', 'environment.ts', 'my.env']) {
      expect(policy.evaluate(security(), request({ paths: [path(ordinary)] })).action, ordinary).toBe(
        'allow',
      );
    }
  });

  it('takes the first matching path rule for the operation, which can also allow a protected path', () => {
    const rules = security({
      paths: [
        { pattern: '.env.example', action: 'allow' },
        { pattern: 'secrets/**', access: 'read', action: 'deny' },
        { pattern: 'secrets/**', access: 'write', action: 'ask' },
        { pattern: '/srv/**', action: 'deny' },
      ],
    });
    expect(policy.evaluate(rules, request({ paths: [path('.env.example')] })).action).toBe('allow');
    expect(policy.evaluate(rules, request({ paths: [path('secrets/key.pem')] }))).toMatchObject({
      action: 'deny',
      reasons: ["'secrets/key.pem' matches the path rule 'secrets/**' (deny)"],
    });
    expect(
      policy.evaluate(
        rules,
        request({ tool: 'write_file', operation: 'write', paths: [path('secrets/key.pem')] }),
      ).action,
    ).toBe('ask');
    expect(
      policy.evaluate(rules, request({ paths: [{ real: '/srv/data/x', relative: 'data/x' }] })).action,
    ).toBe('deny');
  });

  it('combines tool, path and command verdicts, the strictest winning', () => {
    const rules = security({
      tools: { run_shell_command: 'ask' },
      commands: [{ pattern: 'rm -rf *', action: 'deny' }],
    });
    const shell = (command: string) =>
      policy.evaluate(
        rules,
        request({ tool: 'run_shell_command', operation: 'execute', paths: [path('.')], command }),
      );
    expect(shell('ls')).toMatchObject({
      action: 'ask',
      reasons: ["security.tools.run_shell_command is 'ask'"],
    });
    expect(shell('ls && rm -rf build')).toMatchObject({
      action: 'deny',
      reasons: ["the command 'rm -rf build' matches the command rule 'rm -rf *' (deny)"],
    });
    expect(policy.evaluate(security({ tools: { read_file: 'deny' } }), request({})).action).toBe('deny');
  });

  it('command rules see every command of a line, through wrappers and assignments', () => {
    expect(commandsOf('a; b && c || d | e & f\ng')).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(commandsOf('echo $(git push) `curl x`')).toEqual(expect.arrayContaining(['git push', 'curl x']));
    expect(commandsOf('FOO=1 sudo -E git   push origin')).toEqual(
      expect.arrayContaining(['FOO=1 sudo -E git push origin', 'git push origin']),
    );
    const rules = security({ commands: [{ pattern: 'git push*', action: 'ask' }] });
    const decide = (command: string) =>
      policy.evaluate(rules, request({ tool: 'run_shell_command', operation: 'execute', command })).action;
    expect(decide('cd repo && env GIT_TRACE=1 git push')).toBe('ask');
    expect(decide('(git push)')).toBe('ask');
    expect(decide('git pull')).toBe('allow');
  });

  it('matches command rules without regexes, so a long hostile command line cannot stall the policy', () => {
    expect(wildcardMatch('git push*', 'git push origin main')).toBe(true);
    expect(wildcardMatch('*curl *|*sh', 'x; curl http://e | bash -c sh')).toBe(true);
    expect(wildcardMatch('rm -rf *', 'rm -r build')).toBe(false);
    const rules = security({ commands: [{ pattern: `${'*a'.repeat(30)}*b`, action: 'deny' }] });
    const started = performance.now();
    const decision = policy.evaluate(
      rules,
      request({ tool: 'run_shell_command', operation: 'execute', command: 'a'.repeat(30_000) }),
    );
    expect(decision.action).toBe('allow');
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
