/**
 * The one configuration schema: every key, its default and its validation. `config.json` holds only what the
 * user set; defaults live here. Sections are strict: an unknown key is an error, never silently ignored.
 */
import * as z from 'zod';
import { lazySchema } from '../../protocol/lazy-schema.js';
// Server names become tool-name prefixes (NAME__tool), so they are short and plain.
import { McpServerNameSchema } from '../../protocol/tools/mcp-server-tools.js';
import { SecuritySchema } from './security-schema.js';

/** Marks a leaf as secret: never printed, never returned over MCP. */
export const SECRET = { secret: true } as const;
/** Marks a leaf whose change needs a server restart. */
export const RESTART = { restart: true } as const;

const HostnameSchema = lazySchema(() =>
  z
    .string()
    .min(1)
    .max(253)
    .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)$/, 'must be a hostname or IP address (no scheme, no port)'),
);

const PROVIDERS = ['litellm', 'openai', 'claude', 'gemini', 'ollama', 'openrouter', 'custom'] as const;

const ModelChainSchema = lazySchema(() =>
  z
    .array(z.string().min(1).max(200))
    .min(1)
    .max(8)
    .describe('Models tried in order; the next is used when one keeps failing'),
);

const ModelPriceKeySchema = lazySchema(() =>
  z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9._:/@+-]+$/, 'must be a model name'),
);

const UsdPerMillionSchema = lazySchema(() => z.number().min(0).max(100_000));

const PriceOverrideSchema = lazySchema(() =>
  z.strictObject({
    input: UsdPerMillionSchema().describe('US dollars per million input tokens'),
    output: UsdPerMillionSchema().describe('US dollars per million output tokens'),
    cached_input: UsdPerMillionSchema()
      .optional()
      .describe('US dollars per million cached input tokens (default: the input price)'),
  }),
);

const McpStdioServerSchema = lazySchema(() =>
  z.strictObject({
    command: z.string().min(1).max(4096),
    args: z.array(z.string().max(4096)).max(100).default([]),
    env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string().max(8192)).default({}),
    cwd: z
      .string()
      .max(4096)
      .optional()
      .describe('Working directory (default: the task workspace); {workspace} is replaced'),
  }),
);

const McpHttpServerSchema = lazySchema(() =>
  z.strictObject({
    url: z.url({ protocol: /^https?$/ }),
    headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/), z.string().max(8192)).default({}),
  }),
);

const McpServerSchema = lazySchema(() => z.union([McpStdioServerSchema(), McpHttpServerSchema()]));

/** One retention policy: an age limit, a count limit, or both (null: no limit). */
const RetentionPolicySchema = (what: string) =>
  z
    .strictObject({
      max_age_days: z
        .number()
        .int()
        .min(1)
        .max(36_500)
        .nullable()
        .default(null)
        .describe(`Delete ${what} older than this many days (null: keep regardless of age)`),
      max_count: z
        .number()
        .int()
        .min(1)
        .max(1_000_000_000)
        .nullable()
        .default(null)
        .describe(`Keep at most this many ${what}, newest first (null: no count limit)`),
    })
    .prefault({});

/**
 * The sections of config.json, each built on first use: a command reads two or three of them, and building
 * all of their schemas was a tenth of an in-process command's start-up (bench/core.js). loadConfig checks the
 * sections a file or the environment sets, and gives the others their defaults when first read (load.ts).
 */
export const CONFIG_SECTIONS = {
  server: lazySchema(() =>
    z
      .strictObject({
        host: z
          .string()
          .default('127.0.0.1')
          .describe('Interface az serve binds; anything but loopback also needs --allow-remote')
          .meta(RESTART),
        port: z.number().int().min(0).max(65535).default(7777).describe('TCP port of az serve').meta(RESTART),
        allowed_hosts: z
          .array(HostnameSchema())
          .max(32)
          .default([])
          .describe('Extra Host header names accepted besides localhost (e.g. host.docker.internal)'),
        allowed_origins: z
          .array(HostnameSchema())
          .max(32)
          .default([])
          .describe('Browser Origin hostnames accepted besides localhost'),
        tool_profile: z
          .enum(['core', 'full', 'all'])
          .default('core')
          .describe('Tools listed to clients that do not ask for a profile: core (about 10), full, or all'),
        max_sessions: z
          .number()
          .int()
          .min(1)
          .max(10_000)
          .default(256)
          .describe('Open 2025-era HTTP sessions at most'),
        session_idle_minutes: z
          .number()
          .int()
          .min(1)
          .max(24 * 60)
          .default(30)
          .describe('Idle 2025-era sessions expire'),
        request_timeout_seconds: z
          .number()
          .int()
          .min(10)
          .max(3600)
          .default(300)
          .describe('Longest HTTP request (wait_task and run_task stream progress within it)'),
      })
      .prefault({}),
  ),
  tasks: lazySchema(() =>
    z
      .strictObject({
        concurrency: z.number().int().min(1).max(256).default(4).describe('Tasks that run at once'),
        max_attempts: z
          .number()
          .int()
          .min(1)
          .max(10)
          .default(3)
          .describe('Attempts before a task stays FAILED'),
        max_steps: z
          .number()
          .int()
          .min(1)
          .max(500)
          .default(40)
          .describe('Agent steps per attempt before STEP_LIMIT'),
        default_priority: z.number().int().min(0).max(9).default(5),
        workspace_root: z
          .string()
          .nullable()
          .default(null)
          .describe('Where task workspaces are created when none is given (default AZ_HOME/workspaces)'),
        retry_delay_seconds: z
          .number()
          .min(0)
          .max(3600)
          .default(5)
          .describe(
            'First delay before a failed task is retried automatically (doubles per attempt, at most 10 min)',
          ),
        tool_timeout_seconds: z
          .number()
          .int()
          .min(1)
          .max(24 * 3600)
          .default(300)
          .describe('Longest single tool call of the agent before it is cancelled'),
        paused: z
          .boolean()
          .default(false)
          .describe(
            'Hold the queue: a server starts no new task (running ones finish; az task run still runs in the foreground)',
          ),
        autostart_daemon: z
          .boolean()
          .default(true)
          .describe(
            'Start a background az serve for this home when a task is queued and no server runs (az mcp, az task create)',
          ),
        daemon_idle_minutes: z
          .number()
          .int()
          .min(1)
          .max(7 * 24 * 60)
          .default(10)
          .describe('A server started on demand stops after this long without queued or running tasks'),
      })
      .prefault({}),
  ),
  llm: lazySchema(() =>
    z
      .strictObject({
        provider: z
          .enum(PROVIDERS)
          .default('litellm')
          .describe('Setting a provider fills base_url and the model routes with sensible defaults'),
        base_url: z
          .url()
          .default('http://127.0.0.1:4000')
          .describe('OpenAI-compatible endpoint (a LiteLLM proxy by default)'),
        api_key: z
          .string()
          .max(4096)
          .nullable()
          .default(null)
          .describe('API key; prefer the AZ_LLM_API_KEY variable')
          .meta(SECRET),
        routes: z
          .strictObject({
            default: ModelChainSchema().default(['gpt-4o-mini']),
            cheap: ModelChainSchema().default(['gpt-4o-mini']),
            strong: ModelChainSchema().default(['gpt-4o']),
          })
          .prefault({}),
        timeout_seconds: z.number().int().min(1).max(3600).default(120).describe('Per model call'),
        max_retries: z
          .number()
          .int()
          .min(0)
          .max(10)
          .default(3)
          .describe('Retries per model before the next in the chain'),
        stream: z
          .boolean()
          .default(false)
          .describe(
            'Stream model replies (SSE). Off by default: a LiteLLM proxy reports its exact cost only on non-streamed replies',
          ),
        max_output_tokens: z
          .number()
          .int()
          .min(16)
          .max(1_000_000)
          .default(4096)
          .describe('Output token cap per model call (also bounds the budget reservation of each call)'),
      })
      .prefault({}),
  ),
  cost: lazySchema(() =>
    z
      .strictObject({
        prices: z
          .record(ModelPriceKeySchema(), PriceOverrideSchema())
          .default({})
          .describe(
            'Price overrides by model, in US dollars per million tokens: {"my-model": {"input": 0.5, "output": 1.5, "cached_input": 0.05}}',
          ),
      })
      .prefault({}),
  ),
  mcp: lazySchema(() =>
    z
      .strictObject({
        servers: z
          .record(McpServerNameSchema(), McpServerSchema())
          .default({})
          .describe('External MCP servers the agent connects to (manage with az mcp add/list/remove)')
          .meta(SECRET),
      })
      .prefault({}),
  ),
  memory: lazySchema(() =>
    z
      .strictObject({
        enabled: z
          .boolean()
          .default(true)
          .describe('Semantic memory (ChromaDB); false turns the memory tools off'),
        chroma_url: z
          .url()
          .nullable()
          .default(null)
          .describe('A Chroma server to use instead of the local one AZ-OS starts (e.g. a team server)')
          .meta(RESTART),
        chroma_headers: z
          .record(z.string().min(1).max(200), z.string().max(4096))
          .default({})
          .describe('HTTP headers sent to chroma_url (e.g. an x-chroma-token)')
          .meta(SECRET),
        chroma_tenant: z
          .string()
          .min(1)
          .max(200)
          .nullable()
          .default(null)
          .describe('Chroma tenant (default_tenant)'),
        chroma_database: z
          .string()
          .min(1)
          .max(200)
          .nullable()
          .default(null)
          .describe('Chroma database (default_database)'),
        embedder: z
          .enum(['builtin', 'openai', 'local'])
          .default('builtin')
          .describe(
            'builtin: offline, no download; openai: the /embeddings endpoint of the LLM gateway; local: a sentence model on disk (az memory setup)',
          ),
        embedding_model: z
          .string()
          .min(1)
          .max(200)
          .default('text-embedding-3-small')
          .describe('Model name for the openai embedder'),
        embedding_base_url: z
          .url()
          .nullable()
          .default(null)
          .describe('OpenAI-compatible URL for embeddings (default: llm.base_url)'),
        local_model: z
          .string()
          .min(1)
          .max(200)
          .regex(/^[A-Za-z0-9._/-]+$/, 'must be a model id such as Xenova/all-MiniLM-L6-v2')
          .default('Xenova/all-MiniLM-L6-v2')
          .describe('Sentence-embedding model for the local embedder (fetched by az memory setup)'),
        default_collection: z
          .string()
          .regex(/^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$/, 'must be 3-63 lower-case letters, digits, - and _')
          .default('memories')
          .describe('Collection used when a call names none'),
        rag_results: z
          .number()
          .int()
          .min(0)
          .max(20)
          .default(5)
          .describe('Memories put into a task context before its first step (0 turns RAG off)'),
        rag_min_score: z
          .number()
          .min(0)
          .max(1)
          .default(0.25)
          .describe('Only memories at least this similar (0-1) are given to the agent'),
        task_summaries: z
          .boolean()
          .default(true)
          .describe('Store the summary of each completed task as a memory'),
      })
      .prefault({}),
  ),
  checkpoints: lazySchema(() =>
    z
      .strictObject({
        enabled: z
          .boolean()
          .default(true)
          .describe('Git checkpoints of task workspaces (a shadow repository)'),
        interval_minutes: z
          .number()
          .int()
          .min(0)
          .max(24 * 60)
          .default(10)
          .describe('Checkpoint a running task this often (0: only after steps that changed files)'),
        max_file_bytes: z
          .number()
          .int()
          .min(1024)
          .max(2 ** 31)
          .default(10 * 1024 * 1024)
          .describe('Files larger than this are left out of checkpoints'),
      })
      .prefault({}),
  ),
  retention: lazySchema(() =>
    z
      .strictObject({
        auto_prune: z
          .boolean()
          .default(true)
          .describe('az serve prunes by these policies on start and then periodically'),
        prune_interval_minutes: z
          .number()
          .int()
          .min(1)
          .max(7 * 24 * 60)
          .default(60)
          .describe('Minutes between automatic prunes'),
        task_events: RetentionPolicySchema('events of finished tasks'),
        finished_tasks: RetentionPolicySchema('finished tasks (with their events, journals and outputs)'),
        step_journals: RetentionPolicySchema('agent step journals of finished tasks'),
        tool_outputs: RetentionPolicySchema('stored tool outputs'),
        audit: RetentionPolicySchema('audit entries (pruned as whole verified chain segments)'),
        memories: RetentionPolicySchema('memories'),
      })
      .prefault({}),
  ),
  security: SecuritySchema,
};

export type ConfigSectionName = keyof typeof CONFIG_SECTIONS;

export const CONFIG_SECTION_NAMES = Object.keys(CONFIG_SECTIONS) as ConfigSectionName[];

const SchemaPathSchema = lazySchema(() =>
  z.string().optional().describe('Path of the JSON Schema, for editors'),
);

/** The whole schema: for the key catalog, `az config`, and the JSON Schema written for editors. */
export const ConfigSchema = lazySchema(() =>
  z.strictObject({
    $schema: SchemaPathSchema(),
    server: CONFIG_SECTIONS.server(),
    tasks: CONFIG_SECTIONS.tasks(),
    llm: CONFIG_SECTIONS.llm(),
    cost: CONFIG_SECTIONS.cost(),
    mcp: CONFIG_SECTIONS.mcp(),
    memory: CONFIG_SECTIONS.memory(),
    checkpoints: CONFIG_SECTIONS.checkpoints(),
    retention: CONFIG_SECTIONS.retention(),
    security: CONFIG_SECTIONS.security(),
  }),
);

/**
 * The part of ConfigSchema a config that sets only `sections` needs: as strict (any other key is reported as
 * ConfigSchema would), without building the other sections.
 */
export function configSchemaFor(sections: readonly ConfigSectionName[]): z.ZodType {
  const shape: Record<string, z.ZodType> = { $schema: SchemaPathSchema() };
  for (const name of sections) shape[name] = CONFIG_SECTIONS[name]();
  return z.strictObject(shape);
}

export type Config = z.infer<ReturnType<typeof ConfigSchema>>;
export type ConfigInput = z.input<ReturnType<typeof ConfigSchema>>;
export const LLM_PROVIDERS = PROVIDERS;
export type McpServerConfig = z.infer<ReturnType<typeof McpServerSchema>>;
export type PriceOverride = z.infer<ReturnType<typeof PriceOverrideSchema>>;
