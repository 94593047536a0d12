/**
 * The `security` section of the configuration: where file and shell tools may work, how shell commands are
 * sandboxed, and the permission policy (allow / ask / deny per tool, path rules, command rules, network).
 * Evaluated by server/security/policy.ts; documented in the README ("Tools, sandbox and permissions").
 */
import * as z from 'zod';
import { lazySchema } from '../../protocol/lazy-schema.js';

export const PERMISSION_ACTIONS = ['allow', 'ask', 'deny'] as const;
export type PermissionAction = (typeof PERMISSION_ACTIONS)[number];

/** The tools the per-tool policy covers (the file, shell and process tools). */
export const POLICY_TOOLS = [
  'read_file',
  'write_file',
  'edit_file',
  'list_directory',
  'find_files',
  'search_files',
  'move_file',
  'delete_file',
  'run_shell_command',
  'list_processes',
  'kill_process',
] as const;
export type PolicyTool = (typeof POLICY_TOOLS)[number];

const ActionSchema = lazySchema(() => z.enum(PERMISSION_ACTIONS));

const toolActions = lazySchema(
  () =>
    Object.fromEntries(
      POLICY_TOOLS.map(name => [name, ActionSchema().default('allow').describe(`Permission for ${name}`)]),
    ) as Record<PolicyTool, z.ZodDefault<ReturnType<typeof ActionSchema>>>,
);

export const PathRuleSchema = lazySchema(() =>
  z.strictObject({
    pattern: z
      .string()
      .min(1)
      .max(1024)
      .describe(
        "Glob relative to the workspace root ('secrets/**', '**/*.pem'), or absolute ('/srv/data/**')",
      ),
    access: z.enum(['read', 'write', 'any']).default('any').describe('Which operations the rule covers'),
    action: ActionSchema(),
  }),
);
export type PathRule = z.infer<ReturnType<typeof PathRuleSchema>>;

export const CommandRuleSchema = lazySchema(() =>
  z.strictObject({
    pattern: z
      .string()
      .min(1)
      .max(1024)
      .describe(
        "Matched against each command in a command line; '*' matches anything ('git push*', 'rm -rf *')",
      ),
    action: ActionSchema(),
  }),
);
export type CommandRule = z.infer<ReturnType<typeof CommandRuleSchema>>;

export const SecuritySchema = lazySchema(() =>
  z
    .strictObject({
      roots: z
        .array(z.string().min(1).max(4096))
        .max(32)
        .default([])
        .describe(
          'Directories outside clients may use with file and shell tools (absolute paths). Empty: ' +
            'tasks.workspace_root, else AZ_HOME/workspaces. The agent is always confined to its task workspace.',
        ),
      sandbox: z
        .enum(['required', 'preferred', 'off'])
        .default('required')
        .describe(
          'Shell commands: required = only inside bubblewrap (refused without it); preferred = bubblewrap when ' +
            'it works, else unsandboxed; off = never sandboxed',
        ),
      network: z.boolean().default(false).describe('Let sandboxed shell commands use the network'),
      tools: z.strictObject(toolActions()).prefault({}),
      paths: z
        .array(PathRuleSchema())
        .max(256)
        .default([])
        .describe(
          'Path rules, first match wins; they can also allow protected paths (.git internals, .env*)',
        ),
      commands: z
        .array(CommandRuleSchema())
        .max(256)
        .default([])
        .describe(
          'Command rules for run_shell_command, first match wins per command (a convenience, not a boundary)',
        ),
      protected_paths: z
        .array(z.string().min(1).max(1024))
        .max(64)
        .default([])
        .describe('More globs that need explicit permission, like .git internals and .env* do'),
      hidden_paths: z
        .array(z.string().min(1).max(4096))
        .max(64)
        .default([])
        .describe('More host paths sandboxed commands cannot see (AZ_HOME and ~/.ssh, ~/.aws… always are)'),
      env_passthrough: z
        .array(
          z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*\*?$/, 'must be a variable name, or a prefix ending in *'),
        )
        .max(64)
        .default([])
        .describe(
          'Environment variables commands may see besides PATH, HOME, LANG…; secrets are removed anyway',
        ),
      shell_timeout_seconds: z
        .number()
        .int()
        .min(1)
        .max(24 * 3600)
        .default(600)
        .describe('The longest a shell command (or background process) may run'),
      shell_output_bytes: z
        .number()
        .int()
        .min(1024)
        .max(8 * 1024 * 1024)
        .default(32 * 1024)
        .describe('Output kept per stream of a command (its start and end; the middle is dropped)'),
      max_background_processes: z
        .number()
        .int()
        .min(0)
        .max(64)
        .default(8)
        .describe('Background processes one client or task may run at once'),
    })
    .prefault({}),
);

export type SecurityConfig = z.infer<ReturnType<typeof SecuritySchema>>;
