import { request } from 'node:http';
import { EclusaError, type ErrorKind } from '../../../core/errors/eclusa-error.js';

const CONNECTION_ERRORS = new Set(['ENOENT', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

/** The router's control socket does not answer: it is not running (or not yet). */
export function isUnreachable(error: unknown): boolean {
  return error instanceof EclusaError && error.code === 'ROUTER_UNREACHABLE';
}

/** One call to the builtin router's control API; its errors come back as EclusaErrors. */
export function callRouter<T>(
  socketPath: string,
  method: 'GET' | 'PUT' | 'POST',
  path: string,
  body?: unknown,
  timeoutMs = 5_000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        socketPath,
        method,
        path,
        headers: payload === undefined ? {} : { 'content-type': 'application/json' },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let data: unknown;
          try {
            data = JSON.parse(text);
          } catch {
            reject(new EclusaError('failed', 'ROUTER_CONTROL_FAILED', `router said: ${text}`));
            return;
          }
          if (res.statusCode === 200) {
            resolve(data as T);
            return;
          }
          const error = (data as { error?: Record<string, string | undefined> }).error ?? {};
          reject(
            new EclusaError(
              (error['kind'] as ErrorKind | undefined) ?? 'failed',
              error['code'] ?? 'ROUTER_CONTROL_FAILED',
              error['message'] ?? `router answered ${res.statusCode}`,
              { hint: error['hint'] },
            ),
          );
        });
      },
    );
    req.on('timeout', () =>
      req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })),
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        CONNECTION_ERRORS.has(error.code ?? '')
          ? new EclusaError(
              'failed',
              'ROUTER_UNREACHABLE',
              `the router does not answer on ${socketPath} (${error.code})`,
              {
                hint: 'eclusa starts it again on the next deploy step; see router.log beside the socket',
                retryable: true,
                cause: error,
              },
            )
          : error,
      );
    });
    req.end(payload);
  });
}
