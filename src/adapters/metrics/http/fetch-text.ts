import { inconclusive, type Inconclusive } from '../../../core/analysis/metrics-source.js';

/** A bounded HTTP GET for the metrics sources: text, or the reason as an inconclusive reading. */
export interface FetchedText {
  readonly kind: 'text';
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** Larger answers are not metrics anyone meant to send; reading them would only cost memory. */
const MAX_BYTES = 16 * 1024 * 1024;

export async function fetchText(
  url: string,
  what: string,
  timeoutMs: number,
  signal?: AbortSignal,
  init: RequestInit = {},
): Promise<FetchedText | Inconclusive> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    const response = await fetch(url, { ...init, signal: combined });
    const length = Number(response.headers.get('content-length') ?? 0);
    if (length > MAX_BYTES) {
      await response.body?.cancel();
      return inconclusive('GARBAGE', `${what} answered ${length} bytes, more than metrics can be`);
    }
    const body = await response.text();
    return {
      kind: 'text',
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      body,
    };
  } catch (error) {
    if (timeout.aborted) {
      return inconclusive('TIMEOUT', `${what} did not answer within ${timeoutMs} ms`);
    }
    if (signal?.aborted) return inconclusive('FAILED', `reading ${what} was cancelled`);
    return inconclusive('UNREACHABLE', `${what} is unreachable: ${describe(error)}`);
  }
}

function describe(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code ? `${code} ${cause.message}`.replace(`${code} ${code}`, code) : cause.message;
  }
  return String(cause);
}
