// The load generator of bench/router/overhead.ts, in a process of its own so that sending
// and timing never share an event loop with the router or the app it measures.
// Usage: load-generator.ts URL RATE SECONDS WARM_UP → one JSON line on stdout.
// Open loop: request i is due at start + i / RATE whatever happened to the ones before it;
// every request due at a timer tick is sent at that tick. Latency runs from the moment a
// request is sent to the end of its response; how late sends were is reported beside it,
// so a generator that falls behind its schedule shows instead of flattering the figures.
import { Agent, request, type RequestOptions } from 'node:http';

const [url, rateText, secondsText, warmUpText] = process.argv.slice(2);
if (url === undefined) {
  process.stderr.write('usage: load-generator URL RATE SECONDS WARM_UP\n');
  process.exit(2);
}
const rate = Number(rateText ?? 1_000);
const seconds = Number(secondsText ?? 5);
const warmUp = Number(warmUpText ?? 500);
const total = Math.round(rate * seconds);

const target = new URL('/version', url);
// Kept-alive connections, as a browser or a service client holds them; enough sockets that
// a slow response never makes a request wait for a free one.
const agent = new Agent({ keepAlive: true, maxSockets: 128, scheduling: 'lifo' });
const options: RequestOptions = {
  agent,
  host: target.hostname,
  port: target.port,
  path: target.pathname,
};

const latencies = new Float64Array(total);
const lateness = new Float64Array(total);
let errors = 0;
let done = 0;
let finish: () => void = () => undefined;

function send(index: number, due: number): void {
  const sent = performance.now();
  if (index >= 0) lateness[index] = sent - due;
  const req = request(options, (res) => {
    res.resume();
    res.on('end', () => {
      if (res.statusCode !== 200) errors += 1;
      complete(index, sent);
    });
  });
  req.on('error', () => {
    errors += 1;
    complete(index, sent);
  });
  req.end();
}

function complete(index: number, sent: number): void {
  if (index < 0) return;
  latencies[index] = performance.now() - sent;
  done += 1;
  if (done === total) finish();
}

function once(): Promise<void> {
  return new Promise((resolve) => {
    const req = request(options, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', () => resolve());
    req.end();
  });
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

// Warm-up, closed loop: connections open, code paths compiled, before the clock starts.
for (let i = 0; i < warmUp; i++) await once();

const all = new Promise<void>((resolve) => (finish = resolve));
const start = performance.now();
let next = 0;
await new Promise<void>((resolve) => {
  const tick = () => {
    const now = performance.now();
    while (next < total && start + (next * 1_000) / rate <= now) {
      send(next, start + (next * 1_000) / rate);
      next += 1;
    }
    if (next < total) setTimeout(tick, Math.max(0, start + (next * 1_000) / rate - now));
    else resolve();
  };
  tick();
});
await all;
const elapsed = performance.now() - start;
const cpu = process.cpuUsage();
agent.destroy();
latencies.sort();
lateness.sort();
process.stdout.write(
  `${JSON.stringify({
    requests: total,
    errors,
    achievedRate: total / (elapsed / 1_000),
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    max: latencies[total - 1],
    lateP50: percentile(lateness, 50),
    lateP99: percentile(lateness, 99),
    /** This process's CPU time, warm-up included, so the caller can tell others' load. */
    cpuMs: (cpu.user + cpu.system) / 1_000,
  })}\n`,
);
