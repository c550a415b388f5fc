import type { HttpClient, HttpRequest, HttpResponse } from '../../../core/verify/http-client.js';

/** Network error codes in words, for a verification's one-sentence detail. */
const CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  UND_ERR_SOCKET: 'connection closed',
};

/** The HttpClient over Node's fetch; redirects are followed, the body is read up to the bound. */
export class FetchHttpClient implements HttpClient {
  async request(request: HttpRequest): Promise<HttpResponse> {
    let response: Response;
    try {
      response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        signal: request.signal,
      });
    } catch (error) {
      if (request.signal.aborted) throw request.signal.reason;
      throw new Error(describe(error), { cause: error });
    }
    const { body, truncated } = await readBounded(response, request.maxBodyBytes, request.signal);
    return { status: response.status, body, truncated };
  }
}

async function readBounded(
  response: Response,
  limit: number,
  signal: AbortSignal,
): Promise<{ body: string; truncated: boolean }> {
  if (response.body === null) return { body: '', truncated: false };
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
      if (size >= limit) {
        truncated = size > limit;
        break;
      }
    }
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw new Error(`the answer broke off: ${describe(error)}`, { cause: error });
  } finally {
    // Stops reading what is left (a large asset) and frees the connection.
    await reader.cancel().catch(() => undefined);
  }
  return { body: Buffer.concat(chunks).subarray(0, limit).toString('utf8'), truncated };
}

function describe(error: unknown): string {
  const cause =
    error instanceof Error
      ? (error.cause as { code?: string; message?: string } | undefined)
      : undefined;
  const code = cause?.code;
  if (code !== undefined) return `${CAUSES[code] ?? cause?.message ?? code} (${code})`;
  if (cause?.message !== undefined) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
