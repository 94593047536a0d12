/**
 * The maintenance server: a small MCP server the CLI starts in its own process for work that cannot go
 * through a running AZ-OS server — replacing the database file (encrypt, decrypt, rekey, restore) or checking
 * a home that may not even open (doctor). It has no core: its tools get the home's paths and environment.
 * Like the main server it validates input, maps AppErrors to `isError` results with a stable code, and never
 * sends a stack trace.
 */
import { McpServer, type CallToolResult, type ServerContext } from '@modelcontextprotocol/server';
import type * as z from 'zod';
import { AppError, describeZodError } from '../../../protocol/errors.js';
import type { ToolContract } from '../../../protocol/tool-contract.js';
import type { HomePaths } from '../../home.js';
import { errorResult } from '../../mcp/register-tools.js';
import { passthroughSchema } from '../../mcp/sdk-schema.js';

export interface MaintenanceContext {
  paths: HomePaths;
  env: Record<string, string | undefined>;
  signal: AbortSignal;
  progress(done: number, total: number, message: string): void;
}

export interface MaintenanceTool<C extends ToolContract = ToolContract> {
  contract: C;
  handler(args: z.output<C['input']>, context: MaintenanceContext): Promise<z.input<C['output']>>;
}

export function maintenanceTool<C extends ToolContract>(
  contract: C,
  handler: MaintenanceTool<C>['handler'],
): MaintenanceTool<C> {
  return { contract, handler };
}

export function createMaintenanceServer(
  paths: HomePaths,
  env: Record<string, string | undefined>,
  tools: readonly MaintenanceTool[],
  version: string,
): McpServer {
  const server = new McpServer(
    { name: 'az-os-maintenance', title: 'AZ-OS maintenance', version },
    { capabilities: { tools: { listChanged: false } } },
  );
  for (const { contract, handler } of tools) {
    server.registerTool(
      contract.name,
      {
        title: contract.title,
        description: contract.description,
        inputSchema: passthroughSchema(() => contract.input, 'input'),
        outputSchema: passthroughSchema(() => contract.output, 'output'),
        annotations: { title: contract.title, ...contract.annotations },
      },
      async (rawArgs: unknown, mcp: ServerContext): Promise<CallToolResult> => {
        const parsed = contract.input.safeParse(rawArgs ?? {});
        if (!parsed.success) {
          return errorResult({
            code: 'INVALID_INPUT',
            message: `invalid arguments for ${contract.name}: ${describeZodError(parsed.error)}`,
          });
        }
        const progressToken = mcp.mcpReq._meta?.progressToken;
        let lastSent = 0;
        const context: MaintenanceContext = {
          paths,
          env,
          signal: mcp.mcpReq.signal,
          progress(done, total, message) {
            // At most ten notifications a second: progress is for people.
            if (progressToken === undefined || (Date.now() - lastSent < 100 && done < total)) return;
            lastSent = Date.now();
            void mcp.mcpReq
              .notify({
                method: 'notifications/progress',
                params: { progressToken, progress: done, total, message },
              })
              .catch(() => undefined);
          },
        };
        try {
          const output = await handler(parsed.data, context);
          return {
            content: [{ type: 'text', text: JSON.stringify(output) }],
            structuredContent: output as Record<string, unknown>,
          };
        } catch (error) {
          if (error instanceof AppError) return errorResult(error.toPayload());
          console.error(`maintenance tool ${contract.name} failed unexpectedly:`, error);
          return errorResult({
            code: 'INTERNAL',
            message: `${contract.name} failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
          });
        }
      },
    );
  }
  return server;
}
