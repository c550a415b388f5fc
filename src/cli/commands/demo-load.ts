import { Agent, request } from 'node:http';

export interface DemoLoad {
  /** Stops sending, waits for the requests in flight, and returns how many got each status. */
  stop(): Promise<Record<number, number>>;
}

/**
 * Light traffic for the demo's canary: about `perSecond` GET requests a second to `url`
 * (127.0.0.1 only) until stopped, and never longer than `maxMs`, so the analysis has
 * requests to judge.
 */
export function startDemoLoad(url: string, perSecond: number, maxMs: number): DemoLoad {
  if (!new URL(url).hostname.startsWith('127.'))
    throw new Error(`demo load targets 127.0.0.1 only, not ${url}`);
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const statuses: Record<number, number> = {};
  const inFlight = new Set<Promise<void>>();
  const tickMs = 50;
  const perTick = perSecond / (1000 / tickMs);
  let owed = 0;
  const started = Date.now();
  const count = (status: number): void => {
    statuses[status] = (statuses[status] ?? 0) + 1;
  };
  const get = (): Promise<void> =>
    new Promise((resolve) => {
      const req = request(url, { agent, timeout: 5_000 }, (response) => {
        response.resume();
        response.on('end', () => {
          count(response.statusCode ?? 0);
          resolve();
        });
      });
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', () => {
        count(0);
        resolve();
      });
      req.end();
    });
  const timer = setInterval(() => {
    if (Date.now() - started > maxMs) {
      clearInterval(timer);
      return;
    }
    owed += perTick;
    for (; owed >= 1; owed -= 1) {
      const sent = get().finally(() => inFlight.delete(sent));
      inFlight.add(sent);
    }
  }, tickMs);
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.all([...inFlight]);
      agent.destroy();
      return statuses;
    },
  };
}
