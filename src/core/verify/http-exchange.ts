import { formatDuration } from '../policy/duration.js';
import type { HttpResponse } from './http-client.js';
import type { AttemptContext } from './retry-loop.js';
import type { CheckContext } from './verification-context.js';

export const BODY_LIMIT_BYTES = 1_048_576;
const EXCERPT_CHARS = 2_000;

export interface Exchange {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** One HTTP exchange of a check: the answer and its duration, or one sentence on why there is none. */
export async function exchange(
  context: CheckContext,
  attempt: AttemptContext,
  request: Exchange,
  maxBodyBytes = BODY_LIMIT_BYTES,
): Promise<{ response: HttpResponse; elapsedMs: number } | { failure: string }> {
  const { clock, http } = context.deps;
  const started = clock.now().getTime();
  try {
    const response = await http.request({ ...request, signal: attempt.signal, maxBodyBytes });
    return { response, elapsedMs: clock.now().getTime() - started };
  } catch (error) {
    const target = `${request.method} ${context.redact(request.url)}`;
    if (attempt.cancelled()) return { failure: `${target} was cancelled` };
    if (attempt.signal.aborted)
      return { failure: `no answer from ${target} within ${formatDuration(attempt.limitMs)}` };
    const why = error instanceof Error ? error.message : String(error);
    return { failure: `${target} failed: ${context.redact(why)}` };
  }
}

/** The start of a body, for a result's output: bounded, secrets blanked. */
export function bodyExcerpt(context: CheckContext, body: string): string {
  const text = body.length > EXCERPT_CHARS ? `${body.slice(0, EXCERPT_CHARS)}…` : body;
  return context.redact(text);
}

/** A JSON body gets a JSON content type unless the check set one. */
export function withContentType(
  headers: Record<string, string>,
  body: string | undefined,
): Record<string, string> {
  if (
    body === undefined ||
    Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')
  )
    return headers;
  let json = true;
  try {
    JSON.parse(body);
  } catch {
    json = false;
  }
  return { ...headers, 'content-type': json ? 'application/json' : 'text/plain; charset=utf-8' };
}
