import { EclusaError } from '../../src/core/errors/eclusa-error.js';

/** The EclusaError a promise rejects with; anything else (or resolving) fails the test. */
export async function failureOf(promise: Promise<unknown>): Promise<EclusaError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof EclusaError) return error;
    throw error;
  }
  throw new Error('expected the promise to reject with an EclusaError, but it resolved');
}
