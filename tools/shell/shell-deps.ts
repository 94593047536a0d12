/** What the shell and process tools need besides their arguments. */
import type { FsToolDeps } from '../access.js';
import type { LauncherOptions } from '../sandbox/launcher.js';
import type { ProcessTable } from './process-table.js';

export interface ShellLimits {
  /** Bytes kept per stream (half from the start, half from the end). */
  outputBytes: number;
  defaultTimeoutSeconds: number;
  maxTimeoutSeconds: number;
  /** Running background processes per owner. */
  maxBackground: number;
}

export interface ShellToolDeps extends FsToolDeps {
  processes: ProcessTable;
  /** `task:ID` or `client:NAME`: whose processes these are. */
  owner: string;
  /** May see and kill every owner's processes (admins). */
  seesAll: boolean;
  launcher: LauncherOptions;
  /** The scrubbed environment commands get. */
  environment: Record<string, string>;
  limits: ShellLimits;
}
