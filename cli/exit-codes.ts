/**
 * Exit codes of `az`, mapped from error codes in one place. Documented in the README; scripts may rely on them.
 */
import type { ErrorCode } from '../protocol/errors.js';

export const EXIT = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  notFound: 3,
  conflict: 4,
  config: 5,
  unavailable: 6,
  permission: 7,
  budget: 8,
  stepLimit: 9,
  taskFailed: 10,
  timeout: 11,
  unhealthy: 12,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const BY_ERROR_CODE: Record<ErrorCode, ExitCode> = {
  INVALID_INPUT: EXIT.usage,
  NOT_FOUND: EXIT.notFound,
  ILLEGAL_TRANSITION: EXIT.conflict,
  CONFLICT: EXIT.conflict,
  CONFIG_INVALID: EXIT.config,
  UNAVAILABLE: EXIT.unavailable,
  LLM_ERROR: EXIT.unavailable,
  UNAUTHORIZED: EXIT.permission,
  PERMISSION_DENIED: EXIT.permission,
  BUDGET_EXCEEDED: EXIT.budget,
  STEP_LIMIT: EXIT.stepLimit,
  TIMEOUT: EXIT.timeout,
  CANCELLED: EXIT.interrupted,
  NEEDS_ATTENTION: EXIT.taskFailed,
  TOOL_FAILED: EXIT.taskFailed,
  INTERRUPTED: EXIT.taskFailed,
  INTERNAL: EXIT.unexpected,
};

export function exitCodeFor(code: ErrorCode): ExitCode {
  return BY_ERROR_CODE[code];
}

/** The table printed in `az --help` and the README. */
export const EXIT_CODE_TABLE: readonly [ExitCode, string][] = [
  [EXIT.ok, 'success'],
  [EXIT.unexpected, 'unexpected error (a bug: please report it with the server log)'],
  [EXIT.usage, 'usage error or invalid input (unknown command, flag, config key or value)'],
  [EXIT.notFound, 'not found (task id, config key section)'],
  [EXIT.conflict, 'conflict (illegal task transition, server already running, port in use)'],
  [EXIT.config, 'configuration file invalid'],
  [EXIT.unavailable, 'unavailable (server, database, LLM or memory not reachable)'],
  [EXIT.permission, 'unauthorized or permission denied'],
  [EXIT.budget, 'budget exceeded'],
  [EXIT.stepLimit, 'step limit reached'],
  [EXIT.taskFailed, 'the task failed, was cancelled, or needs attention'],
  [EXIT.timeout, 'timed out waiting (the task is still running)'],
  [
    EXIT.unhealthy,
    'a check found a problem: az doctor (each failed check prints its fix), az audit verify (an edited or deleted audit row)',
  ],
  [EXIT.interrupted, 'interrupted (Ctrl-C)'],
];
