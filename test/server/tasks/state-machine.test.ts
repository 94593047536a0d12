import { describe, expect, it } from 'vitest';
import { AppError } from '../../../protocol/errors.js';
import { TASK_STATUSES } from '../../../protocol/task.js';
import { TRANSITIONS, assertTransition, canTransition } from '../../../server/tasks/state-machine.js';

describe('task state machine', () => {
  it('allows exactly the seed transitions', () => {
    const allowed = TASK_STATUSES.flatMap(from => TRANSITIONS[from].map(to => `${from}->${to}`)).sort();
    expect(allowed).toEqual(
      [
        'INITIALIZED->PENDING',
        'INITIALIZED->CANCELLED',
        'PENDING->RUNNING',
        'PENDING->CANCELLED',
        'RUNNING->COMPLETED',
        'RUNNING->FAILED',
        'RUNNING->CANCELLED',
        'RUNNING->PENDING',
        'FAILED->RETRYING',
        'FAILED->FINALIZED',
        'RETRYING->RUNNING',
        'RETRYING->CANCELLED',
        'CANCELLED->FINALIZED',
      ].sort(),
    );
  });

  it('treats COMPLETED and FINALIZED as final', () => {
    for (const to of TASK_STATUSES) {
      expect(canTransition('COMPLETED', to)).toBe(false);
      expect(canTransition('FINALIZED', to)).toBe(false);
    }
  });

  it('raises a typed ILLEGAL_TRANSITION error that names what is allowed', () => {
    expect.assertions(3);
    try {
      assertTransition('t1', 'PENDING', 'COMPLETED');
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('ILLEGAL_TRANSITION');
      expect((error as AppError).message).toContain('RUNNING or CANCELLED');
    }
  });
});
