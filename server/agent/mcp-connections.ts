/**
 * The agent's MCP connections: one in-process client of AZ-OS itself (scoped to the task, as an operator,
 * over the SDK's in-memory transport) and one client per external server from `mcp.servers` — a child
 * process over stdio, or Streamable HTTP. External servers see the task workspace as the client's only root
 * and may ask the agent for completions (sampling), which go through the LLM gateway and the task's budget.
 */
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import {
  Client,
  StreamableHTTPClientTransport,
  type CreateMessageRequest,
  type CreateMessageResult,
} from '@modelcontextprotocol/client';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { pathToFileURL } from 'node:url';
import { AppError } from '../../protocol/errors.js';
import { fetchWithRequestSignal } from '../../protocol/request-signal-fetch.js';
import type { McpServerConfig } from '../config/schema.js';
import type { Core } from '../core.js';
import { createMcpServerInstance } from '../mcp/create-mcp-server.js';
import type { ToolRegistry } from '../mcp/register-tools.js';

export type SamplingHandler = (
  params: CreateMessageRequest['params'],
  signal: AbortSignal,
) => Promise<CreateMessageResult>;

export interface Connection {
  name: string;
  client: Client;
  close(): Promise<void>;
}

const CLIENT_INFO = { name: 'az-os-agent', version: '1' };

type Validator = NonNullable<ConstructorParameters<typeof Client>[1]>['jsonSchemaValidator'];

export async function connectOwn(
  core: Core,
  registry: ToolRegistry,
  taskId: string,
  workspace: string,
  validator?: Validator,
): Promise<Connection> {
  const server = createMcpServerInstance(core, registry, {
    principal: { name: `agent:${taskId}`, role: 'operator', via: 'in-process' },
    profile: 'all',
    liveUpdates: 'none',
    scope: { taskId, workspace },
  });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  const client = new Client(CLIENT_INFO, { capabilities: {}, jsonSchemaValidator: validator });
  await client.connect(clientTransport);
  return {
    name: 'azos',
    client,
    async close() {
      await client.close().catch(() => undefined);
      await server.close().catch(() => undefined);
    },
  };
}

const substitute = (text: string, workspace: string): string => text.replaceAll('{workspace}', workspace);

export interface ExternalOptions {
  workspace: string;
  logsDir: string;
  sampling: SamplingHandler | undefined;
  timeoutMs: number;
  signal: AbortSignal;
  validator?: Validator;
}

export async function connectExternal(
  name: string,
  config: McpServerConfig,
  options: ExternalOptions,
): Promise<Connection> {
  const client = new Client(CLIENT_INFO, {
    capabilities: { roots: { listChanged: false }, ...(options.sampling ? { sampling: {} } : {}) },
    jsonSchemaValidator: options.validator,
  });
  client.setRequestHandler('roots/list', () => ({
    roots: [{ uri: pathToFileURL(options.workspace).href, name: 'task workspace' }],
  }));
  const sampling = options.sampling;
  if (sampling) {
    client.setRequestHandler('sampling/createMessage', (request, ctx) =>
      sampling(request.params, ctx.mcpReq.signal),
    );
  }
  let logFd: number | undefined;
  let transport;
  let logPath = '';
  if ('command' in config) {
    mkdirSync(options.logsDir, { recursive: true, mode: 0o700 });
    logPath = join(options.logsDir, `mcp-${name}.log`);
    logFd = openSync(logPath, 'a', 0o600);
    transport = new StdioClientTransport({
      command: config.command,
      args: config.args.map(arg => substitute(arg, options.workspace)),
      // Security: children get the SDK's safe variable list (PATH, HOME…) plus what the config names, not
      // this process's whole environment (API keys stay here).
      env: {
        ...getDefaultEnvironment(),
        ...Object.fromEntries(
          Object.entries(config.env).map(([key, value]) => [key, substitute(value, options.workspace)]),
        ),
      },
      cwd: substitute(config.cwd ?? '{workspace}', options.workspace),
      stderr: logFd,
    });
  } else {
    transport = new StreamableHTTPClientTransport(new URL(config.url), {
      requestInit: { headers: config.headers },
      fetch: fetchWithRequestSignal,
    });
  }
  try {
    await client.connect(transport, { signal: options.signal, timeout: options.timeoutMs });
  } catch (error) {
    await client.close().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError('UNAVAILABLE', `MCP server ${name} did not start: ${reason}`, {
      cause: error,
      hint: logPath
        ? `Its output is in ${logPath}. Check the command with \`az mcp list\`.`
        : 'Check the URL and headers with `az mcp list`.',
    });
  } finally {
    // The child holds its own copy of the log descriptor.
    if (logFd !== undefined) closeSync(logFd);
  }
  return {
    name,
    client,
    async close() {
      await client.close().catch(() => undefined);
    },
  };
}
