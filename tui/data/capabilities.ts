/**
 * What the connected server offers, from tools/list: the dashboard lights up cost, checkpoint and resume
 * features when their tools exist, and says "not available on this server" when they do not. A role never
 * sees tools it may not call, so the list also tells which actions this token may take.
 */
import type { Client } from '@modelcontextprotocol/client';

/** Tools the dashboard uses beyond the foundation's task and status tools (they arrive with later issues). */
export const OPTIONAL_TOOLS = ['get_cost_summary', 'get_budget', 'list_checkpoints', 'resume_task'] as const;
export type OptionalTool = (typeof OPTIONAL_TOOLS)[number];

export interface Capabilities {
  /** Every tool name the server lists for this token. */
  tools: ReadonlySet<string>;
  /** Top-level property names of each tool's input schema (to call optional tools with what they accept). */
  inputs: ReadonlyMap<string, ToolInputShape>;
}

export interface ToolInputShape {
  properties: ReadonlySet<string>;
  /** Allowed values of string-enum properties, such as group_by. */
  enums: ReadonlyMap<string, readonly string[]>;
}

export const NO_CAPABILITIES: Capabilities = { tools: new Set(), inputs: new Map() };

function shapeOf(schema: unknown): ToolInputShape {
  const properties = new Set<string>();
  const enums = new Map<string, readonly string[]>();
  const props = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  if (props && typeof props === 'object') {
    for (const [name, value] of Object.entries(props)) {
      properties.add(name);
      const values = (value as { enum?: unknown } | null)?.enum;
      if (Array.isArray(values))
        enums.set(
          name,
          values.filter(item => typeof item === 'string'),
        );
    }
  }
  return { properties, enums };
}

export async function discoverCapabilities(sdk: Client): Promise<Capabilities> {
  const tools = new Set<string>();
  const inputs = new Map<string, ToolInputShape>();
  let cursor: string | undefined;
  for (let page = 0; page < 20; page += 1) {
    const result = await sdk.listTools(cursor === undefined ? undefined : { cursor });
    for (const tool of result.tools) {
      tools.add(tool.name);
      inputs.set(tool.name, shapeOf(tool.inputSchema));
    }
    cursor = result.nextCursor;
    if (cursor === undefined) break;
  }
  return { tools, inputs };
}

export function hasTool(capabilities: Capabilities, name: string): boolean {
  return capabilities.tools.has(name);
}
