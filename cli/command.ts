/**
 * What a command is: its flags, its help, and a `run` that talks to AZ-OS through the client facade.
 * Commands never call process.exit; they return an exit code (or throw an AppError) and the entry exits.
 */
import type { ToolCaller } from '../protocol/client.js';
import type { HomePaths } from '../protocol/home.js';

export type FlagSpec = {
  type: 'string' | 'boolean' | 'number';
  shortFlag?: string;
  isMultiple?: boolean;
  default?: unknown;
  /** Shown in help. */
  description: string;
};

export interface GlobalFlags {
  home: string | undefined;
  profile: string | undefined;
  json: boolean;
  url: string | undefined;
}

export interface Output {
  /** Normal output (stdout). */
  print(text: string): void;
  /** Progress and notes (stderr), suppressed with --json. */
  note(text: string): void;
  json(value: unknown): void;
  isTty: boolean;
  width: number;
}

export interface CommandContext {
  input: string[];
  flags: Record<string, unknown>;
  globals: GlobalFlags;
  paths: HomePaths;
  env: Record<string, string | undefined>;
  out: Output;
  /** Connects to the running server of the home, or starts one in-process. */
  connect(): Promise<ToolCaller>;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
}

export interface Command {
  usage: string;
  summary: string;
  /** Extra help text after the flags. */
  details?: string;
  flags: Record<string, FlagSpec>;
  /** Positional arguments: exact count or [min, max]. */
  args: number | [number, number];
  run(context: CommandContext): Promise<number | void>;
}
