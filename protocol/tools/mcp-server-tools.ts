/** Contracts of the tools that manage the external MCP servers the agent connects to (`mcp.servers`). */
import * as z from 'zod';
import { lazySchema } from '../lazy-schema.js';
import { READ_ONLY, defineTool } from '../tool-contract.js';

export const McpServerNameSchema = lazySchema(() =>
  z
    .string()
    .regex(
      /^[a-z][a-z0-9-]{0,23}$/,
      'must be 1-24 lower-case letters, digits and dashes, starting with a letter',
    )
    .refine(name => name !== 'azos', { message: "'azos' is reserved for AZ-OS's own tools" }),
);

export const McpServerInfoSchema = lazySchema(() =>
  z.object({
    name: z.string(),
    transport: z.enum(['stdio', 'http']),
    command: z.string().optional(),
    args: z.array(z.string()).optional(),
    cwd: z.string().optional(),
    env_keys: z.array(z.string()).optional().describe('Names of the variables set (values are not shown)'),
    url: z.string().optional(),
    header_names: z.array(z.string()).optional().describe('Names of the headers sent (values are not shown)'),
  }),
);
export type McpServerInfo = z.infer<ReturnType<typeof McpServerInfoSchema>>;

export const addMcpServerTool = defineTool({
  name: 'add_mcp_server',
  title: 'Add MCP server',
  description:
    "Add (or replace) an external MCP server whose tools the agent may use, under the name's prefix " +
    '(NAME__tool). Give a command (stdio; it starts in the task workspace, {workspace} in args is replaced) or a URL ' +
    '(Streamable HTTP). With check (default true) it connects once and lists the tools.',
  input: () =>
    z
      .strictObject({
        name: McpServerNameSchema(),
        command: z.string().min(1).max(4096).optional(),
        args: z.array(z.string().max(4096)).max(100).optional(),
        env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string().max(8192)).optional(),
        cwd: z.string().max(4096).optional(),
        url: z.url({ protocol: /^https?$/ }).optional(),
        headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/), z.string().max(8192)).optional(),
        check: z.boolean().optional(),
      })
      .refine(value => (value.command === undefined) !== (value.url === undefined), {
        message: 'give either command (stdio) or url (HTTP), not both',
      }),
  output: () =>
    z.object({
      server: McpServerInfoSchema(),
      replaced: z.boolean(),
      tools: z
        .array(z.string())
        .nullable()
        .describe('Tool names found by the check; null when not checked or it failed'),
      check_error: z.string().nullable(),
    }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  profile: 'all',
  access: 'admin',
});

export const listMcpServersTool = defineTool({
  name: 'list_mcp_servers',
  title: 'List MCP servers',
  description:
    'List the external MCP servers the agent connects to (secrets in env and headers are not shown).',
  input: () => z.strictObject({}),
  output: () => z.object({ servers: z.array(McpServerInfoSchema()) }),
  annotations: READ_ONLY,
  profile: 'all',
  access: 'admin',
});

export const removeMcpServerTool = defineTool({
  name: 'remove_mcp_server',
  title: 'Remove MCP server',
  description: 'Remove an external MCP server; tasks started afterwards no longer see its tools.',
  input: () => z.strictObject({ name: McpServerNameSchema() }),
  output: () => z.object({ removed: z.boolean() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  profile: 'all',
  access: 'admin',
});
