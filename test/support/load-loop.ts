import { Agent } from 'node:http';
import { get } from './http-client.js';

export interface LoadResult {
  readonly sent: number;
  readonly statuses: ReadonlyMap<number, number>;
  readonly versions: ReadonlyMap<string, number>;
  /** Requests that got no HTTP answer at all (reset, refused, timed out). */
  readonly errors: readonly string[];
}

/**
 * A bounded load: `requests` GET /version in total from `clients` keep-alive clients, each
 * with one connection, to a router on this machine. Stops by itself.
 */
export async function loadLoop(
  url: string,
  options: { clients: number; requests: number },
): Promise<LoadResult> {
  let next = 0;
  const statuses = new Map<number, number>();
  const versions = new Map<string, number>();
  const errors: string[] = [];
  const client = async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      while (next < options.requests) {
        next += 1;
        try {
          const answer = await get(`${url}/version`, { agent });
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          if (answer.status === 200) {
            const { version } = JSON.parse(answer.body) as { version: string };
            versions.set(version, (versions.get(version) ?? 0) + 1);
          }
        } catch (error) {
          errors.push(error instanceof Error ? error.message : String(error));
        }
      }
    } finally {
      agent.destroy();
    }
  };
  await Promise.all(Array.from({ length: options.clients }, client));
  return { sent: next, statuses, versions, errors };
}
