/**
 * Registering tools on an MCP server instance: the one place that checks roles, validates arguments, shapes
 * results (structuredContent plus a compact JSON text block for clients that pass only text to the model) and
 * turns errors into `isError` results with a stable code. No stack trace ever reaches a client.
 */
import {
  CLIENT_CAPABILITIES_META_KEY,
  type CallToolResult,
  type ClientCapabilities,
  type InputRequiredResult,
  type McpServer,
  type RegisteredTool,
  type RequestStateCodec,
  type ServerContext,
  type Tool,
} from '@modelcontextprotocol/server';
import { describeZodError, isAppError, type ErrorPayload } from '../../protocol/errors.js';
import {
  profileIncludes,
  roleMayCall,
  type ToolContract,
  type ToolProfile,
} from '../../protocol/tool-contract.js';
import type { Core } from '../core.js';
import type { Principal } from './principal.js';
import { createServerRequestState } from './request-state.js';
import { passthroughSchema } from './sdk-schema.js';
import {
  isInputRequiredSignal,
  type TaskScope,
  type ToolContext,
  type ToolDefinition,
} from './tool-definition.js';

export interface ToolCallRecord {
  tool: string;
  access: ToolContract['access'];
  principal: Principal;
  args: unknown;
  /** `input_required`: the call is waiting for the user's answer (elicitation) and will be retried. */
  outcome: 'ok' | 'error' | 'input_required';
  errorCode: string | undefined;
  durationMs: number;
  /** The task the call was made for, when the agent made it. */
  taskId: string | undefined;
  /** Paths the handler reported touching (ToolContext.recordTargets). */
  targets: readonly string[];
}

export type ToolCallObserver = (record: ToolCallRecord) => void;

interface PreparedTool {
  definition: ToolDefinition;
  input: ReturnType<typeof passthroughSchema>;
  output: ReturnType<typeof passthroughSchema>;
}

/**
 * Lists a tool that an instance setup registered directly with the SDK (`server.registerTool`). AZ-OS owns
 * tools/list (it applies tool profiles and roles), so such tools are callable by name but appear in
 * tools/list only once passed here.
 */
export type ListTool = (name: string, tool: RegisteredTool) => void;

export interface InstanceSetupInfo {
  principal: Principal;
  era: 'legacy' | 'modern' | 'unknown';
  listTool: ListTool;
  /** Mints the `requestState` of input-required results; the server verifies it on the client's retry. */
  requestState: RequestStateCodec;
}

/**
 * Extra setup applied to every MCP server instance after AZ-OS's own tools and resources: for surfaces that
 * are not tool contracts (prompts, test fixtures). Runs once per instance, so it must be cheap.
 */
export type InstanceSetup = (server: McpServer, info: InstanceSetupInfo) => void;

export interface ToolRegistry {
  tools: readonly PreparedTool[];
  observers: Set<ToolCallObserver>;
  instanceSetups: InstanceSetup[];
  /** The process's requestState codec (request-state.ts), shared by every instance. */
  requestState: RequestStateCodec;
}

/** Built once per process: JSON Schemas are converted lazily, once, and shared by every server instance. */
export function createToolRegistry(definitions: readonly ToolDefinition[]): ToolRegistry {
  const names = new Set<string>();
  for (const { contract } of definitions) {
    if (names.has(contract.name)) throw new Error(`tool ${contract.name} is defined twice`);
    names.add(contract.name);
  }
  return {
    tools: definitions.map(definition => ({
      definition,
      input: passthroughSchema(() => definition.contract.input, 'input'),
      output: passthroughSchema(() => definition.contract.output, 'output'),
    })),
    observers: new Set(),
    instanceSetups: [],
    requestState: createServerRequestState(),
  };
}

export function errorResult(payload: ErrorPayload): CallToolResult {
  return {
    content: [{ type: 'text', text: JSON.stringify({ error: payload }) }],
    structuredContent: { error: payload },
    isError: true,
  };
}

function toPayload(error: unknown, tool: string): ErrorPayload {
  if (isAppError(error)) return error.toPayload();
  // Unexpected: log the detail for the operator, give the client a safe message.
  console.error(`tool ${tool} failed unexpectedly:`, error);
  return { code: 'INTERNAL', message: `${tool} failed unexpectedly; the server log has the details` };
}

export interface RegisterToolsOptions {
  core: Core;
  principal: Principal;
  profile: ToolProfile;
  scope?: TaskScope | undefined;
}

function jsonSchemaOf(
  schema: RegisteredTool['inputSchema'],
  io: 'input' | 'output',
): Record<string, unknown> | undefined {
  if (!schema) return undefined;
  return schema['~standard'].jsonSchema[io]({ target: 'draft-2020-12' });
}

/** The tools/list entry of a tool registered directly with the SDK (see ListTool). */
function listedDirectTool(name: string, tool: RegisteredTool): Tool {
  const outputSchema = jsonSchemaOf(tool.outputSchema, 'output');
  return {
    name,
    ...(tool.title === undefined ? {} : { title: tool.title }),
    ...(tool.description === undefined ? {} : { description: tool.description }),
    inputSchema: (jsonSchemaOf(tool.inputSchema, 'input') ?? {
      type: 'object',
      properties: {},
    }) as Tool['inputSchema'],
    ...(outputSchema === undefined ? {} : { outputSchema: outputSchema as Tool['outputSchema'] }),
    ...(tool.annotations === undefined ? {} : { annotations: tool.annotations }),
    ...(tool.icons === undefined ? {} : { icons: tool.icons }),
    ...(tool.execution === undefined ? {} : { execution: tool.execution }),
    ...(tool._meta === undefined ? {} : { _meta: tool._meta }),
  };
}

/**
 * Registers every tool, then lists only those in the caller's profile that its role may call. Profiles bound
 * what a model sees, not what a client may do: a tool outside the profile can still be called by name, and a
 * call the role forbids gets PERMISSION_DENIED with the reason rather than "unknown tool". Returns the
 * ListTool for instance setups.
 */
export function registerTools(
  server: McpServer,
  registry: ToolRegistry,
  options: RegisterToolsOptions,
): ListTool {
  const { core, principal, profile, scope } = options;
  for (const prepared of registry.tools) {
    const { contract, handler } = prepared.definition;
    server.registerTool(
      contract.name,
      {
        title: contract.title,
        description: contract.description,
        inputSchema: prepared.input,
        outputSchema: prepared.output,
        annotations: { title: contract.title, ...contract.annotations },
      },
      async (rawArgs: unknown, mcp: ServerContext): Promise<CallToolResult | InputRequiredResult> => {
        const started = performance.now();
        const targets: string[] = [];
        const finish = <R extends CallToolResult | InputRequiredResult>(result: R, errorCode?: string): R => {
          if (registry.observers.size > 0) {
            const record: ToolCallRecord = {
              tool: contract.name,
              access: contract.access,
              principal,
              args: rawArgs,
              outcome:
                'isError' in result && result.isError
                  ? 'error'
                  : 'content' in result
                    ? 'ok'
                    : 'input_required',
              errorCode,
              durationMs: performance.now() - started,
              taskId: scope?.taskId,
              targets,
            };
            for (const observer of registry.observers) {
              try {
                observer(record);
              } catch (error) {
                console.error('tool call observer failed:', error);
              }
            }
          }
          return result;
        };
        if (!roleMayCall(principal.role, contract.access)) {
          return finish(
            errorResult({
              code: 'PERMISSION_DENIED',
              message: `${principal.role} tokens may not call ${contract.name} (it needs ${contract.access === 'admin' ? 'an admin' : 'an operator or admin'} token)`,
              hint: 'Use a token with a higher role; an admin can create one with `az token create --role operator`.',
            }),
            'PERMISSION_DENIED',
          );
        }
        if (scope !== undefined && contract.access === 'admin') {
          // Security: the agent working on a task never changes configuration, tokens or permissions.
          return finish(
            errorResult({
              code: 'PERMISSION_DENIED',
              message: `the agent working on a task may not call ${contract.name} (an admin tool): tasks cannot change configuration, tokens or permissions`,
              hint: 'An operator can run it outside the task, e.g. with the az CLI.',
            }),
            'PERMISSION_DENIED',
          );
        }
        const parsed = contract.input.safeParse(rawArgs ?? {});
        if (!parsed.success) {
          return finish(
            errorResult({
              code: 'INVALID_INPUT',
              message: `invalid arguments for ${contract.name}: ${describeZodError(parsed.error)}`,
              hint: `The inputSchema of ${contract.name} in tools/list lists every accepted argument.`,
            }),
            'INVALID_INPUT',
          );
        }
        const progressToken = mcp.mcpReq._meta?.progressToken;
        const context: ToolContext = {
          core,
          principal,
          scope,
          signal: mcp.mcpReq.signal,
          mcp,
          requestState: registry.requestState,
          recordTargets(paths) {
            targets.push(...paths);
          },
          clientCapabilities(): ClientCapabilities | undefined {
            // 2026-07-28 requests carry them in their envelope; 2025-era sessions declared them at initialize.
            const envelope = mcp.mcpReq.envelope as Record<string, unknown> | undefined;
            const fromEnvelope = envelope?.[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined;
            return fromEnvelope ?? server.server.getClientCapabilities();
          },
          async progress(progress, total, message) {
            if (progressToken === undefined) return;
            await mcp.mcpReq
              .notify({
                method: 'notifications/progress',
                params: {
                  progressToken,
                  progress,
                  ...(total === undefined ? {} : { total }),
                  ...(message ? { message } : {}),
                },
              })
              .catch(() => undefined);
          },
        };
        try {
          const output = await handler(parsed.data, context);
          return finish({
            content: [{ type: 'text', text: JSON.stringify(output) }],
            structuredContent: output as Record<string, unknown>,
          });
        } catch (error) {
          // The handler needs the user's answer first: the SDK sends it to the client and retries the call.
          if (isInputRequiredSignal(error)) return finish(error.result);
          const payload = toPayload(error, contract.name);
          return finish(errorResult(payload), payload.code);
        }
      },
    );
  }
  const listed = registry.tools.filter(
    ({ definition: { contract } }) =>
      profileIncludes(profile, contract.profile) &&
      roleMayCall(principal.role, contract.access) &&
      !(scope !== undefined && contract.access === 'admin'),
  );
  const direct = new Map<string, RegisteredTool>();
  server.server.setRequestHandler('tools/list', () => ({
    tools: [
      ...listed.map(({ definition: { contract }, input, output }) => ({
        name: contract.name,
        title: contract.title,
        description: contract.description,
        inputSchema: input['~standard'].jsonSchema.input({ target: 'draft-2020-12' }) as { type: 'object' },
        outputSchema: output['~standard'].jsonSchema.output({ target: 'draft-2020-12' }) as {
          type: 'object';
        },
        annotations: { title: contract.title, ...contract.annotations },
      })),
      ...[...direct].filter(([, tool]) => tool.enabled).map(([name, tool]) => listedDirectTool(name, tool)),
    ],
  }));
  return (name, tool) => {
    if (registry.tools.some(({ definition }) => definition.contract.name === name))
      throw new Error(`tool ${name} is an AZ-OS tool; it is listed already`);
    direct.set(name, tool);
  };
}
