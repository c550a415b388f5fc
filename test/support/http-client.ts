import { Agent, request } from 'node:http';

export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** One GET with a bounded wait; rejects on a network error (a lost request). */
export function get(
  url: string,
  options: { headers?: Record<string, string>; agent?: Agent | false; timeoutMs?: number } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        headers: options.headers,
        agent: options.agent ?? false,
        timeout: options.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    // Whether the request went out on a kept-alive connection that had served before: a
    // client may send such an idempotent request again (RFC 9110 §9.2.2).
    req.on('error', (error) => reject(Object.assign(error, { reusedSocket: req.reusedSocket })));
    req.end();
  });
}

/** The version the sample app behind a router answered with, from GET /version. */
export async function versionAt(
  url: string,
  headers?: Record<string, string>,
  agent?: Agent,
): Promise<string> {
  const answer = await get(`${url}/version`, { headers, agent });
  if (answer.status !== 200)
    throw new Error(`GET ${url}/version answered ${answer.status}: ${answer.body}`);
  return (JSON.parse(answer.body) as { version: string }).version;
}

/** How many of `count` sequential requests each version answered (keep-alive client). */
export async function countVersions(url: string, count: number): Promise<Map<string, number>> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const counts = new Map<string, number>();
  try {
    for (let i = 0; i < count; i++) {
      const version = await versionAt(url, undefined, agent);
      counts.set(version, (counts.get(version) ?? 0) + 1);
    }
  } finally {
    agent.destroy();
  }
  return counts;
}

/** Polls `check` until it returns true, at most `timeoutMs`; for real processes only. */
export async function eventually(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
