import { createConnection } from 'node:net';
import { inconclusive, type Inconclusive } from '../../../core/analysis/metrics-source.js';

/** Largest answer read from the socket: `show stat` of a big configuration stays far below. */
const MAX_BYTES = 8 * 1024 * 1024;

/**
 * Sends one command to HAProxy's runtime API on its stats socket (non-interactive mode:
 * HAProxy answers and closes) and returns the answer, or why there is none.
 */
export function runtimeCommand(
  socketPath: string,
  command: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<{ readonly kind: 'text'; readonly text: string } | Inconclusive> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (value: { readonly kind: 'text'; readonly text: string } | Inconclusive) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(value);
    };
    const socket = createConnection({ path: socketPath });
    const timer = setTimeout(
      () =>
        settle(
          inconclusive(
            'TIMEOUT',
            `HAProxy's socket ${socketPath} did not answer within ${timeoutMs} ms`,
          ),
        ),
      timeoutMs,
    );
    const onAbort = () => settle(inconclusive('FAILED', `reading HAProxy's socket was cancelled`));
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('connect', () => socket.write(`${command}\n`));
    socket.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BYTES) {
        settle(
          inconclusive(
            'GARBAGE',
            `HAProxy's socket ${socketPath} sent more than ${MAX_BYTES} bytes`,
          ),
        );
        return;
      }
      chunks.push(chunk);
    });
    socket.on('end', () => settle({ kind: 'text', text: Buffer.concat(chunks).toString('utf8') }));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const gone = error.code === 'ENOENT' || error.code === 'ECONNREFUSED';
      settle(
        inconclusive(
          'UNREACHABLE',
          gone
            ? `HAProxy's stats socket ${socketPath} is gone (${error.code}): is HAProxy running?`
            : `HAProxy's stats socket ${socketPath}: ${error.message}`,
        ),
      );
    });
  });
}
