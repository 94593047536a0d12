/**
 * A tool contract: the name, schemas, annotations and model-facing description of one MCP tool.
 *
 * The server implements a contract; the client facade calls it and parses the result with the same schemas,
 * so the two can never drift apart. Tool names are `[a-z0-9_]` only (Agent Zero splits `server.tool` on dots).
 */
import type * as z from 'zod';

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/**
 * Tool profiles bound how many tool definitions a client sees. `core` is the default (small, for models);
 * `full` adds every task, cost, memory and checkpoint tool; `all` adds agent tools (files, shell) and admin tools.
 */
export const TOOL_PROFILES = ['core', 'full', 'all'] as const;
export type ToolProfile = (typeof TOOL_PROFILES)[number];

export interface ToolContract<Input extends z.ZodType = z.ZodType, Output extends z.ZodType = z.ZodType> {
  name: string;
  title: string;
  /** A prompt for models: what the tool does, when to use it, its limits. */
  description: string;
  input: Input;
  output: Output;
  annotations: ToolAnnotations;
  /** The smallest profile that lists this tool. */
  profile: ToolProfile;
  /**
   * Who may call it: `read` (every role), `write` (operator and admin; audited), `admin` (admin only).
   * A role never sees tools it may not call in tools/list.
   */
  access: ToolAccess;
}

export type ToolAccess = 'read' | 'write' | 'admin';
export type Role = 'admin' | 'operator' | 'viewer';

export function roleMayCall(role: Role, access: ToolAccess): boolean {
  if (access === 'read') return true;
  if (access === 'write') return role !== 'viewer';
  return role === 'admin';
}

export type ToolInput<C extends ToolContract> = z.input<C['input']>;
export type ToolOutput<C extends ToolContract> = z.output<C['output']>;

const TOOL_NAME = /^[a-z][a-z0-9_]{0,63}$/;

/** A contract as written: its schemas are functions that build them. */
export interface ToolContractSpec<Input extends z.ZodType, Output extends z.ZodType> extends Omit<
  ToolContract<Input, Output>,
  'input' | 'output'
> {
  input: () => Input;
  output: () => Output;
}

/**
 * Defines a contract whose schemas are built on first use. A command or a server touches a handful of the ~50
 * contracts, and building zod schemas is most of what loading them costs: every `az` command used to build
 * all of them before doing anything (bench/core.js measures start-up against bare node).
 */
export function defineTool<Input extends z.ZodType, Output extends z.ZodType>(
  spec: ToolContractSpec<Input, Output>,
): ToolContract<Input, Output> {
  if (!TOOL_NAME.test(spec.name)) {
    throw new Error(`tool name '${spec.name}' must match ${TOOL_NAME.source}`);
  }
  // Caught here, where the contract is written, not at its first call (a plain-JS caller has no type check).
  for (const key of ['input', 'output'] as const) {
    if (typeof spec[key] !== 'function') {
      throw new Error(
        `tool ${spec.name}: ${key} must be a function that builds the schema, () => z.object(…)`,
      );
    }
  }
  const { input: buildInput, output: buildOutput, ...rest } = spec;
  let input: Input | undefined;
  let output: Output | undefined;
  return {
    ...rest,
    get input() {
      return (input ??= buildInput());
    },
    get output() {
      return (output ??= buildOutput());
    },
  };
}

export function profileIncludes(profile: ToolProfile, toolProfile: ToolProfile): boolean {
  return TOOL_PROFILES.indexOf(toolProfile) <= TOOL_PROFILES.indexOf(profile);
}

export const READ_ONLY: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};
