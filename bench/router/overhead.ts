// Added latency of the builtin router and a managed HAProxy versus a direct connection to
// the sample app, at a paced rate against 127.0.0.1: `npx tsx bench/router/overhead.ts`.
// Bounded: RATE requests/s for SECONDS per target, then everything it started is stopped.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { BuiltinRouter } from '../../src/adapters/router/builtin/builtin-router.js';
import { HaproxyRouter } from '../../src/adapters/router/haproxy/haproxy-router.js';
import type { TrafficRouter } from '../../src/core/router/traffic-router.js';
import { freePort } from '../../test/support/free-port.js';
import { startSampleApp } from '../../test/support/sample-app-process.js';

const RATE = Number(process.env['RATE'] ?? 1_000);
const SECONDS = Number(process.env['SECONDS'] ?? 5);
const WARM_UP = 500;
const BUNDLE = fileURLToPath(new URL('../../dist/router.cjs', import.meta.url));

function once(agent: Agent, url: string): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = request(`${url}/version`, { agent }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
        else resolve(Number(process.hrtime.bigint() - started) / 1e6);
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sends RATE requests/s on a fixed schedule (open loop) and returns each latency in ms. */
async function measure(url: string): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  for (let i = 0; i < WARM_UP; i++) await once(agent, url);
  const total = RATE * SECONDS;
  const latencies: Promise<number>[] = [];
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1_000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await delay(wait);
    latencies.push(once(agent, url));
  }
  const result = await Promise.all(latencies);
  agent.destroy();
  return result;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const app = await startSampleApp('1.0.0');
const home = mkdtempSync(join(tmpdir(), 'eclusa-bench-router-'));
const routers: [string, TrafficRouter][] = [
  [
    'builtin',
    new BuiltinRouter({
      dir: join(home, 'builtin'),
      port: await freePort(),
      // The bundle, as users run it (npm run build); the source through tsx otherwise.
      entry: existsSync(BUNDLE) ? { command: process.execPath, args: [BUNDLE] } : undefined,
    }),
  ],
  [
    'haproxy',
    new HaproxyRouter({
      dir: join(home, 'haproxy'),
      manage: true,
      listen: await freePort(),
      backend: 'eclusa_bench',
      servers: { stable: 'stable', canary: 'canary' },
    }),
  ],
];
try {
  const rows: string[] = [];
  const direct = (await measure(app.url)).sort((a, b) => a - b);
  const base = { p50: percentile(direct, 50), p99: percentile(direct, 99) };
  rows.push(`direct   p50 ${base.p50.toFixed(2)} ms  p99 ${base.p99.toFixed(2)} ms`);
  for (const [name, router] of routers) {
    await router.ensure();
    const state = await router.apply({
      stable: { id: 'app', version: '1.0.0', endpoint: { host: app.host, port: app.port } },
      canaryWeight: 0,
    });
    const sorted = (await measure(state.url)).sort((a, b) => a - b);
    const p50 = percentile(sorted, 50);
    const p99 = percentile(sorted, 99);
    rows.push(
      `${name.padEnd(8)} p50 ${p50.toFixed(2)} ms  p99 ${p99.toFixed(2)} ms  ` +
        `added p50 ${(p50 - base.p50).toFixed(2)} ms  p99 ${(p99 - base.p99).toFixed(2)} ms`,
    );
  }
  console.log(`${RATE} requests/s for ${SECONDS} s per target, keep-alive, 127.0.0.1`);
  for (const row of rows) console.log(row);
} finally {
  for (const [, router] of routers) await router.shutdown().catch(() => undefined);
  await app.stop();
  rmSync(home, { recursive: true, force: true });
}
