/**
 * The task state machine: the one transition table. Anything not listed here is an illegal transition and
 * raises ILLEGAL_TRANSITION; the store never writes a status without consulting it.
 *
 *   INITIALIZED → PENDING → RUNNING → COMPLETED
 *                              RUNNING → FAILED → RETRYING → RUNNING
 *   (any live state) → CANCELLED → FINALIZED
 */
import { AppError } from '../../protocol/errors.js';
import type { TaskStatus } from '../../protocol/task.js';

export const TRANSITIONS: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  INITIALIZED: ['PENDING', 'CANCELLED'],
  PENDING: ['RUNNING', 'CANCELLED'],
  // RUNNING → PENDING: the worker gave the task back (server shutdown) without finishing an attempt.
  RUNNING: ['COMPLETED', 'FAILED', 'CANCELLED', 'PENDING'],
  FAILED: ['RETRYING', 'FINALIZED'],
  RETRYING: ['RUNNING', 'CANCELLED'],
  CANCELLED: ['FINALIZED'],
  COMPLETED: [],
  FINALIZED: [],
};

export function canTransition(from: TaskStatus, to: TaskStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(taskId: string, from: TaskStatus, to: TaskStatus): void {
  if (canTransition(from, to)) return;
  const allowed = TRANSITIONS[from];
  throw new AppError(
    'ILLEGAL_TRANSITION',
    `task ${taskId} is ${from} and cannot become ${to}` +
      (allowed.length > 0 ? ` (from ${from} it can become ${allowed.join(' or ')})` : ` (${from} is final)`),
    { details: { task_id: taskId, from, to, allowed } },
  );
}

/** Statuses a worker may pick up. */
export const QUEUED_STATUSES: readonly TaskStatus[] = ['PENDING', 'RETRYING'];
