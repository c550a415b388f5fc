import { request } from 'node:http';
import { acceptsConnections } from '../../os/tcp-port.js';

export interface Probe {
  readonly ready: boolean;
  /** What was seen, for messages: "GET /health answered 503". */
  readonly detail: string;
}

/** Readiness: `healthPath` answering 2xx, or, without one, the port accepting connections. */
export async function probeInstance(
  host: string,
  port: number,
  healthPath: string | undefined,
  timeoutMs = 2_000,
): Promise<Probe> {
  if (healthPath === undefined) {
    return (await acceptsConnections(port, host, timeoutMs))
      ? { ready: true, detail: `${host}:${port} accepts connections` }
      : { ready: false, detail: `nothing accepts connections on ${host}:${port}` };
  }
  return new Promise((resolve) => {
    const path = healthPath.startsWith('/') ? healthPath : `/${healthPath}`;
    // No agent: a readiness poll must not leave kept-alive sockets to an app about to be stopped.
    const probe = request(
      { host, port, path, method: 'GET', agent: false, timeout: timeoutMs },
      (response) => {
        response.resume();
        const status = response.statusCode ?? 0;
        resolve({ ready: status >= 200 && status < 300, detail: `GET ${path} answered ${status}` });
      },
    );
    probe.once('timeout', () => {
      probe.destroy();
      resolve({ ready: false, detail: `GET ${path} did not answer within ${timeoutMs} ms` });
    });
    probe.once('error', (error: NodeJS.ErrnoException) => {
      resolve({
        ready: false,
        detail:
          error.code === 'ECONNREFUSED'
            ? `nothing accepts connections on ${host}:${port}`
            : `GET ${path} failed: ${error.message}`,
      });
    });
    probe.end();
  });
}
