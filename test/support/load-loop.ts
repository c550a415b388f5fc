import { Agent } from 'node:http';
import { get } from './http-client.js';

export interface LostRequest {
  readonly message: string;
  /** Sent on a kept-alive connection that had already served a request. */
  readonly reusedSocket: boolean;
}

export interface LoadResult {
  readonly sent: number;
  readonly statuses: ReadonlyMap<number, number>;
  readonly versions: ReadonlyMap<string, number>;
  /** Requests that got no HTTP answer at all (reset, refused, timed out). */
  readonly errors: readonly LostRequest[];
}

/**
 * A bounded load: at least `requests` GET /version from `clients` keep-alive clients, each
 * with one connection, to a router on this machine; more while `more()` says so, never more
 * than `max`. Stops by itself.
 */
export async function loadLoop(
  url: string,
  options: { clients: number; requests: number; more?: () => boolean; max?: number },
): Promise<LoadResult> {
  const more = options.more ?? (() => false);
  const max = options.max ?? options.requests;
  const going = () => next < options.requests || (more() && next < max);
  let next = 0;
  const statuses = new Map<number, number>();
  const versions = new Map<string, number>();
  const errors: LostRequest[] = [];
  const client = async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      while (going()) {
        next += 1;
        try {
          const answer = await get(`${url}/version`, { agent });
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          if (answer.status === 200) {
            const { version } = JSON.parse(answer.body) as { version: string };
            versions.set(version, (versions.get(version) ?? 0) + 1);
          }
        } catch (error) {
          errors.push({
            message: error instanceof Error ? error.message : String(error),
            reusedSocket: (error as { reusedSocket?: boolean }).reusedSocket === true,
          });
        }
      }
    } finally {
      agent.destroy();
    }
  };
  await Promise.all(Array.from({ length: options.clients }, client));
  return { sent: next, statuses, versions, errors };
}
