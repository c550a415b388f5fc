import { Agent, request } from 'node:http';

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

/** Sends `count` GET requests (8 at a time) and returns how many got each status. */
export async function sendRequests(
  url: string,
  count: number,
  headers: Record<string, string> = {},
): Promise<Record<number, number>> {
  const statuses: Record<number, number> = {};
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next += 1;
      const status = await get(url, headers);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, count) }, worker));
  return statuses;
}

function get(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers, timeout: 10_000 }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Background traffic at about `perSecond` requests a second until stopped (or `maxMs`
 * passes, so a forgotten generator cannot run on); returns the statuses seen.
 */
export function startTraffic(
  url: string,
  perSecond: number,
  maxMs = 60_000,
  headers: Record<string, string> = {},
): { stop(): Promise<Record<number, number>> } {
  const statuses: Record<number, number> = {};
  const inFlight = new Set<Promise<void>>();
  const tickMs = 50;
  const perTick = perSecond / (1000 / tickMs);
  let owed = 0;
  const started = Date.now();
  const timer = setInterval(() => {
    if (Date.now() - started > maxMs) {
      clearInterval(timer);
      return;
    }
    owed += perTick;
    for (; owed >= 1; owed -= 1) {
      const sent = get(url, headers)
        .then((status) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
        })
        .catch(() => {
          statuses[0] = (statuses[0] ?? 0) + 1;
        })
        .finally(() => inFlight.delete(sent));
      inFlight.add(sent);
    }
  }, tickMs);
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.all([...inFlight]);
      return statuses;
    },
  };
}
