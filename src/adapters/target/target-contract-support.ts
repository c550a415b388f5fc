import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { TargetEndpoint } from '../../core/target/target.js';

/** GET a path of an instance: its status and JSON body (the sample app answers JSON). */
export function getJson(
  endpoint: TargetEndpoint,
  path: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const call = request(
      { host: endpoint.host, port: endpoint.port, path, agent: false, timeout: 5_000 },
      (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: JSON.parse(text === '' ? '{}' : text) as Record<string, unknown>,
          }),
        );
      },
    );
    call.once('timeout', () => call.destroy(new Error(`GET ${path} timed out`)));
    call.once('error', reject);
    call.end();
  });
}

/**
 * Pids of the live processes whose environment holds NAME=VALUE: how a test finds every
 * process of one app version, whoever started it, to prove none is left.
 */
export function processesWithEnv(name: string, value: string): number[] {
  const wanted = `${name}=${value}`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (/^\S+ \(.*\) Z/.test(stat)) continue;
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(wanted))
        found.push(Number(entry));
    } catch {
      // The process ended while we looked, or is not ours to read.
    }
  }
  return found;
}

/** Polls `check` until it holds; bounded, so a broken target fails the test instead of hanging it. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`still not true after ${timeoutMs} ms: ${what}`);
    await delay(100);
  }
}
