import { EclusaError } from '../errors/eclusa-error.js';
import type { StepOutcome } from './step-executor.js';

/**
 * Runs an executor with a deadline: its signal aborts at `timeoutMs` (targets and commands
 * kill their process groups on abort) and the step fails then even if the executor ignores
 * the signal. An executor that throws fails the step with its message.
 */
export async function runWithDeadline(
  timeoutMs: number,
  act: (signal: AbortSignal) => Promise<StepOutcome>,
): Promise<StepOutcome> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<StepOutcome>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(
        new EclusaError('failed', 'STEP_TIMEOUT', `timed out after ${timeoutMs} ms`),
      );
      resolve({ kind: 'failed', error: `timed out after ${Math.round(timeoutMs / 1000)} s` });
    }, timeoutMs);
  });
  try {
    return await Promise.race([
      act(controller.signal).catch((error: unknown): StepOutcome => ({
        kind: 'failed',
        error: error instanceof Error ? error.message : String(error),
      })),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
    if (!controller.signal.aborted) controller.abort();
  }
}
