import { AppError } from '../../protocol/errors.js';

/** The AppError a promise rejects with; anything else (a success, another error) fails the test. */
export async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}
