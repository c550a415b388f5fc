import { Agent, request } from 'node:http';

/** One request of an open-loop load: when it left, when it ended and how. Times in ms (performance.now). */
export interface RequestRecord {
  readonly sentAt: number;
  readonly doneAt: number;
  /** 0 when no HTTP answer came (reset, refused, timed out). */
  readonly status: number;
  /** The `version` in the sample app's JSON answer; undefined when the answer had none (a router's 502). */
  readonly version?: string;
  /** The sample app answered 500 on purpose (its fault knob), not the router or a lost connection. */
  readonly injected: boolean;
  /** Why no answer came. */
  readonly error?: string;
  /** The request went out on a kept-alive connection that had served before. */
  readonly reusedSocket?: boolean;
  /** The start of the body of an answer that was neither a 200 nor an injected fault. */
  readonly body?: string;
}

export interface OpenLoopLoad {
  /** What has ended so far (a snapshot; the load goes on). */
  records(): readonly RequestRecord[];
  /** Stops sending, waits for the requests in flight and returns every record. */
  stop(): Promise<readonly RequestRecord[]>;
}

const INJECTED = 'injected fault';

/**
 * GETs `url` at `perSecond` on a fixed schedule whatever the answers (an open loop: a slow
 * or failing router does not slow the load down, as with real clients), over up to
 * `maxSockets` keep-alive connections. Bounded: it stops by itself after `maxMs`.
 */
export function startOpenLoopLoad(
  url: string,
  options: {
    perSecond: number;
    maxMs: number;
    maxSockets?: number;
    timeoutMs?: number;
    /** Called as each request ends. */
    onRecord?: (record: RequestRecord) => void;
  },
): OpenLoopLoad {
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 });
  const done: RequestRecord[] = [];
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  const intervalMs = 1_000 / options.perSecond;
  let sent = 0;
  let stopped = false;

  const send = (): void => {
    const sentAt = performance.now();
    const finished = once(url, agent, options.timeoutMs ?? 10_000, sentAt).then((record) => {
      done.push(record);
      options.onRecord?.(record);
    });
    inFlight.add(finished);
    void finished.finally(() => inFlight.delete(finished));
  };

  // A timer every few ms sends what the schedule owes, so a late tick catches up at once.
  const timer = setInterval(() => {
    const now = performance.now();
    if (now - started > options.maxMs) stopped = true;
    if (stopped) {
      clearInterval(timer);
      return;
    }
    const due = Math.floor((now - started) / intervalMs) + 1;
    for (; sent < due; sent++) send();
  }, 2);

  return {
    records: () => done.slice(),
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      while (inFlight.size > 0) await Promise.all([...inFlight]);
      agent.destroy();
      return done.slice().sort((a, b) => a.sentAt - b.sentAt);
    },
  };
}

function once(
  url: string,
  agent: Agent,
  timeoutMs: number,
  sentAt: number,
): Promise<RequestRecord> {
  return new Promise((resolve) => {
    const req = request(url, { agent, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error) =>
        resolve({
          sentAt,
          doneAt: performance.now(),
          status: 0,
          injected: false,
          error: error.message,
        }),
      );
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        const injected = status === 500 && body.includes(INJECTED);
        resolve({
          sentAt,
          doneAt: performance.now(),
          status,
          ...versionOf(body),
          injected,
          ...(status !== 200 && !injected ? { body: body.slice(0, 300) } : {}),
        });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on('error', (error) =>
      resolve({
        sentAt,
        doneAt: performance.now(),
        status: 0,
        injected: false,
        error: error.message,
        reusedSocket: req.reusedSocket,
      }),
    );
    req.end();
  });
}

function versionOf(body: string): { version?: string } {
  try {
    const parsed = JSON.parse(body) as { version?: unknown };
    return typeof parsed.version === 'string' ? { version: parsed.version } : {};
  } catch {
    return {};
  }
}

/** Requests that failed for another reason than the app's own fault knob: lost, or a non-200 the app did not inject. */
export function switchFailures(records: readonly RequestRecord[]): RequestRecord[] {
  return records.filter((r) => r.status !== 200 && !r.injected);
}
