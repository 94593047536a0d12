/** Contracts of the system tools: server status, configuration and database administration. */
import * as z from 'zod';
import { lazySchema } from '../lazy-schema.js';
import { READ_ONLY, defineTool } from '../tool-contract.js';
import { TaskStatusSchema } from '../task.js';

export const ComponentStatusSchema = lazySchema(() =>
  z.object({
    status: z.enum(['ok', 'degraded', 'unavailable', 'disabled']),
    detail: z.string(),
    data: z.record(z.string(), z.unknown()).optional(),
  }),
);
export type ComponentStatus = z.infer<ReturnType<typeof ComponentStatusSchema>>;

export const StatusSchema = lazySchema(() =>
  z.object({
    version: z.string(),
    pid: z.number().int(),
    uptime_seconds: z.number(),
    home: z.string(),
    profile: z.string(),
    mode: z.enum(['daemon', 'in-process', 'stdio']),
    database: z.object({
      path: z.string(),
      schema_version: z.number().int(),
      size_bytes: z.number().int(),
    }),
    tasks: z.object({
      total: z.number().int(),
      by_status: z.partialRecord(TaskStatusSchema(), z.number().int()),
    }),
    components: z
      .record(z.string(), ComponentStatusSchema())
      .describe('Health of each subsystem (llm, memory, sandbox…)'),
    caller: z
      .object({ name: z.string(), role: z.enum(['admin', 'operator', 'viewer']) })
      .describe('Who is asking'),
  }),
);
export type Status = z.infer<ReturnType<typeof StatusSchema>>;

export const getStatusTool = defineTool({
  name: 'get_status',
  title: 'Get status',
  description:
    'Report AZ-OS health: version, uptime, database, task counts by status, and the state of each subsystem ' +
    '(LLM gateway, memory, sandbox). Call it first when something does not work.',
  input: () => z.strictObject({}),
  output: () => StatusSchema(),
  annotations: READ_ONLY,
  profile: 'core',
  access: 'read',
});

export const ConfigEntrySchema = lazySchema(() =>
  z.object({
    key: z.string(),
    value: z.unknown().describe('Secrets are shown as "********" when set'),
    default: z.unknown(),
    source: z.enum(['default', 'file', 'env']),
    description: z.string(),
    secret: z.boolean(),
  }),
);
export type ConfigEntry = z.infer<ReturnType<typeof ConfigEntrySchema>>;

const ConfigKeySchema = lazySchema(() =>
  z
    .string()
    .min(1)
    .max(200)
    .regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/, 'must be a dotted config key such as server.port'),
);

export const getConfigTool = defineTool({
  name: 'get_config',
  title: 'Get configuration',
  description:
    'Return configuration values with their source (default, file or env). Secrets are never returned.',
  input: () =>
    z.strictObject({
      key: ConfigKeySchema()
        .optional()
        .describe('A key or a section prefix such as llm; all keys when omitted'),
    }),
  output: () => z.object({ entries: z.array(ConfigEntrySchema()) }),
  annotations: READ_ONLY,
  profile: 'all',
  access: 'admin',
});

export const setConfigTool = defineTool({
  name: 'set_config',
  title: 'Set configuration',
  description:
    'Set one configuration key in config.json (validated; an unknown key or bad value is refused with the valid ' +
    'choices). Some keys, like server.port, take effect on the next server start.',
  input: () =>
    z.strictObject({
      key: ConfigKeySchema(),
      value: z
        .unknown()
        .describe('The new value; strings are parsed as numbers, booleans or JSON where the key expects it'),
    }),
  output: () =>
    z.object({
      entry: ConfigEntrySchema(),
      changed: z.array(z.string()).describe('Every key this call changed (a provider fills its routes)'),
      restart_required: z.boolean(),
    }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  profile: 'all',
  access: 'admin',
});

export const unsetConfigTool = defineTool({
  name: 'unset_config',
  title: 'Unset configuration',
  description: 'Remove a key from config.json so its default (or environment override) applies again.',
  input: () => z.strictObject({ key: ConfigKeySchema() }),
  output: () => z.object({ entry: ConfigEntrySchema(), restart_required: z.boolean() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  profile: 'all',
  access: 'admin',
});

export const DatabaseStatusSchema = lazySchema(() =>
  z.object({
    home: z.string(),
    profile: z.string(),
    path: z.string(),
    size_bytes: z.number().int(),
    journal_mode: z.string(),
    schema_version: z.number().int(),
    latest_version: z.number().int(),
    pending: z.array(z.object({ version: z.number().int(), name: z.string() })),
    applied: z.array(z.object({ version: z.number().int(), name: z.string(), applied_at: z.string() })),
    integrity: z.string().describe('"ok" or the first problem PRAGMA quick_check found'),
    token_file: z.object({ path: z.string(), mode: z.string(), ok: z.boolean() }),
    encryption: z.object({
      encrypted: z.boolean(),
      cipher: z.string().nullable(),
      key_source: z.string().nullable().describe('Where the key comes from (never the key)'),
    }),
  }),
);
export type DatabaseStatus = z.infer<ReturnType<typeof DatabaseStatusSchema>>;

export const getDatabaseStatusTool = defineTool({
  name: 'get_database_status',
  title: 'Get database status',
  description: 'Report the SQLite database: path, size, schema version, pending migrations and integrity.',
  input: () => z.strictObject({}),
  output: () => DatabaseStatusSchema(),
  annotations: READ_ONLY,
  profile: 'all',
  access: 'admin',
});

export const migrateDatabaseTool = defineTool({
  name: 'migrate_database',
  title: 'Migrate database',
  description: 'Apply pending schema migrations, each in its own transaction.',
  input: () => z.strictObject({ dry_run: z.boolean().optional() }),
  output: () =>
    z.object({
      applied: z.array(z.object({ version: z.number().int(), name: z.string() })),
      schema_version: z.number().int(),
      dry_run: z.boolean(),
    }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  profile: 'all',
  access: 'admin',
});
