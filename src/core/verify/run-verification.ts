import { parseDuration } from '../policy/duration.js';
import { prepareBundleCheck } from './bundle-check.js';
import { prepareCommandCheck } from './command-check.js';
import { prepareHttpCheck } from './http-check.js';
import { retryUntil, type RetryPolicy } from './retry-loop.js';
import type { VerificationResult, VerificationTarget } from './verification.js';
import type {
  CheckContext,
  VerificationDeps,
  VerificationDocument,
} from './verification-context.js';

/** One HTTP attempt waits at most this long (never past the check's deadline). */
const HTTP_ATTEMPT_MS = 10_000;
/** One command attempt, when the check sets no timeout. */
const COMMAND_ATTEMPT_MS = 5 * 60_000;
const INTERVAL_MS = 2_000;

/** Attempts, interval and deadline of a check, from its retries/interval/timeout or the defaults. */
export function retryPolicyOf(check: VerificationDocument): RetryPolicy {
  const attempts = (check.retries ?? 0) + 1;
  const intervalMs =
    (check.interval === undefined ? undefined : parseDuration(check.interval)) ?? INTERVAL_MS;
  const timeoutMs = check.timeout === undefined ? undefined : parseDuration(check.timeout);
  const perAttempt = check.type === 'command' ? (timeoutMs ?? COMMAND_ATTEMPT_MS) : HTTP_ATTEMPT_MS;
  return {
    attempts,
    intervalMs,
    attemptTimeoutMs: perAttempt,
    timeoutMs: timeoutMs ?? attempts * perAttempt + (attempts - 1) * intervalMs,
  };
}

/**
 * Runs one named verification against a target (the new version's URL before the switch,
 * the live URL after it) with its retries and deadline. A failing check is a result with
 * `ok: false`; only bad input (a missing secret, a bad JSON path, `{url}` without a base
 * URL) throws, before any attempt. No secret reaches the result.
 */
export async function runVerification(
  name: string,
  check: VerificationDocument,
  target: VerificationTarget,
  deps: VerificationDeps,
): Promise<VerificationResult> {
  const hidden = new Set<string>();
  const redact = (text: string): string => {
    let out = deps.secrets.redact(text);
    for (const value of hidden) if (value.length >= 4) out = out.split(value).join('[redacted]');
    return out;
  };
  const context: CheckContext = {
    name,
    field: `environments.${target.environment}.verify.${name}`,
    target,
    deps,
    redact,
    hide: (value) => hidden.add(value),
  };
  const attempt =
    check.type === 'http'
      ? prepareHttpCheck(check, context)
      : check.type === 'bundle'
        ? prepareBundleCheck(check, context)
        : prepareCommandCheck(check, context);
  const started = deps.clock.now().getTime();
  const { last, attempts } = await retryUntil(retryPolicyOf(check), attempt, {
    clock: deps.clock,
    sleep: deps.sleep,
    timeout: deps.timeout ?? ((ms) => AbortSignal.timeout(ms)),
    ...(deps.signal === undefined ? {} : { signal: deps.signal }),
  });
  const tried = attempts > 1 ? ` (${attempts} attempts)` : '';
  return {
    name,
    type: check.type,
    ok: last.ok,
    attempts,
    durationMs: deps.clock.now().getTime() - started,
    detail: redact(`${last.detail}${tried}`),
    ...(last.status === undefined ? {} : { status: last.status }),
    ...(last.output === undefined ? {} : { output: redact(last.output) }),
  };
}
