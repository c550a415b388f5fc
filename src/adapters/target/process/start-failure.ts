import { EclusaError, refused } from '../../../core/errors/eclusa-error.js';
import type { StartRequest } from '../../../core/target/target.js';
import type { ReadyOutcome } from './await-ready.js';

export interface StartFailure {
  readonly request: StartRequest;
  readonly outcome: Exclude<ReadyOutcome, { kind: 'ready' }>;
  readonly port: number;
  /** The log lines of this start, secrets already redacted. */
  readonly lines: readonly string[];
  readonly logFile: string;
  readonly readyTimeoutMs: number;
  /** The policy field of the ready timeout, for the hint. */
  readonly field: string;
}

/** The error of a start that did not become ready, with the end of its log. */
export function startFailure(failure: StartFailure): EclusaError {
  const { request, outcome, port, lines, logFile } = failure;
  const what = `${request.component} ${request.version} in slot ${request.slot}`;
  const excerpt =
    lines.length === 0 ? 'the log is empty' : `last log lines: ${lines.slice(-5).join(' | ')}`;
  const details = { logFile, lines };
  if (lines.some((line) => line.includes('EADDRINUSE'))) {
    return refused(
      'TARGET_PORT_IN_USE',
      `${what} could not listen: its port is already in use by another program; ${excerpt}`,
      { hint: `the command must listen on {port} / $PORT (${port}), not a fixed port`, details },
    );
  }
  switch (outcome.kind) {
    case 'exited':
      return new EclusaError(
        'failed',
        'TARGET_START_FAILED',
        `${what} ${outcome.how} before it was ready; ${excerpt}`,
        { hint: `the full log is ${logFile}`, details },
      );
    case 'supervisor-died':
      return new EclusaError(
        'failed',
        'TARGET_START_FAILED',
        `the supervisor of ${what} exited before starting it; ${excerpt}`,
        { hint: 'check that dist/supervisor.cjs sits beside dist/eclusa.cjs', details },
      );
    case 'aborted':
      return new EclusaError(
        'failed',
        'TARGET_START_ABORTED',
        `starting ${what} was cancelled; it was stopped`,
        { details },
      );
    case 'timeout':
      return new EclusaError(
        'failed',
        'TARGET_NOT_READY',
        `${what} was not ready within ${Math.round(failure.readyTimeoutMs / 1000)} s (${outcome.detail}); it was stopped; ${excerpt}`,
        {
          hint: `raise ${failure.field}, or check that the command listens on {port} / $PORT`,
          retryable: true,
          details,
        },
      );
  }
}
