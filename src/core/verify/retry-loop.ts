import type { Clock } from '../time/clock.js';

/** What one attempt of a verification found. */
export interface AttemptResult {
  readonly ok: boolean;
  readonly detail: string;
  readonly status?: number;
  readonly output?: string;
}

export interface RetryPolicy {
  /** 1 + retries. */
  readonly attempts: number;
  readonly intervalMs: number;
  /** Deadline of the whole check, retries and waits included. */
  readonly timeoutMs: number;
  /** Longest one attempt may take (never past the deadline). */
  readonly attemptTimeoutMs: number;
}

export interface RetryTimers {
  readonly clock: Clock;
  /** Waits `ms`; rejects when `signal` aborts. */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** A signal that aborts after `ms`: bounds one attempt. */
  readonly timeout: (ms: number) => AbortSignal;
  readonly signal?: AbortSignal;
}

export interface AttemptContext {
  readonly signal: AbortSignal;
  /** How long this attempt may take, for messages ("no answer within 2 s"). */
  readonly limitMs: number;
  /** The caller cancelled (as opposed to the deadline passing). */
  readonly cancelled: () => boolean;
}

export interface RetryOutcome {
  readonly last: AttemptResult;
  readonly attempts: number;
}

/**
 * Runs attempts until one passes, the attempts run out or the deadline passes, waiting
 * `intervalMs` between them. Time comes only from the injected clock and timers, so a
 * test drives it with a FakeClock.
 */
export async function retryUntil(
  policy: RetryPolicy,
  attempt: (context: AttemptContext) => Promise<AttemptResult>,
  timers: RetryTimers,
): Promise<RetryOutcome> {
  const now = (): number => timers.clock.now().getTime();
  const deadline = now() + policy.timeoutMs;
  const cancelled = (): boolean => timers.signal?.aborted === true;
  let last: AttemptResult | undefined;
  let attempts = 0;
  while (attempts < policy.attempts && !cancelled()) {
    const remaining = deadline - now();
    if (remaining <= 0) break;
    attempts += 1;
    const limitMs = Math.min(remaining, policy.attemptTimeoutMs);
    const bound = timers.timeout(limitMs);
    const signal = timers.signal === undefined ? bound : AbortSignal.any([timers.signal, bound]);
    last = await attempt({ signal, limitMs, cancelled });
    if (last.ok || attempts >= policy.attempts) break;
    const wait = Math.min(policy.intervalMs, deadline - now());
    if (wait <= 0) break;
    try {
      await timers.sleep(wait, timers.signal);
    } catch {
      break;
    }
  }
  if (cancelled() && last?.ok !== true) {
    return { last: { ...last, ok: false, detail: 'cancelled before it passed' }, attempts };
  }
  return {
    last: last ?? { ok: false, detail: `no attempt ran within the ${policy.timeoutMs} ms timeout` },
    attempts,
  };
}
