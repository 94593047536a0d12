/**
 * The port through which tools ask for permission. Tools resolve and confine their paths, then call
 * `authorize` with what they are about to do, BEFORE doing it; the server implements it with the policy
 * (allow / ask / deny per tool, path and command rules) and may ask the user. A refusal is thrown, and tools
 * let it through unchanged: nothing below a refused authorize runs.
 */
import type { Confinement } from './fs/confine.js';
import type { BoundedRunner } from './fs/regex-runner.js';

export type Operation = 'read' | 'write' | 'execute';

export interface AccessRequest {
  /** The tool's MCP name (read_file, run_shell_command…). */
  tool: string;
  operation: Operation;
  /** Real absolute paths the operation touches (already confined). */
  paths: readonly string[];
  /** The command line, for run_shell_command. */
  command?: string;
}

export interface AccessControl {
  authorize(request: AccessRequest): Promise<void>;
  /**
   * For bulk reads (search_files): may this file be read without asking anyone? Never prompts; files that
   * would need a prompt or are denied are skipped and counted.
   */
  readableWithoutAsking(real: string): boolean;
  /** Tells the audit log which paths a call touched. */
  recordTargets(paths: readonly string[]): void;
}

/** Everything a file tool needs besides its arguments. */
export interface FsToolDeps {
  confinement: Confinement;
  access: AccessControl;
  /** Runs caller-supplied patterns with a time limit (regex-runner.ts). */
  bounded: BoundedRunner;
  signal?: AbortSignal | undefined;
}
