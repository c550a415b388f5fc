// CPU time of builtin router bundles per proxied request, compared pair by pair:
// `npm run bench:router-cpu -- OLD.cjs dist/router.cjs` (builds first, which empties dist/:
// keep the bundle to compare against elsewhere, e.g. another checkout's dist/router.cjs
// copied to /tmp; no argument: dist/router.cjs alone; PAIRS, RATE, SECONDS, WARM_UP).
// CPU time of the router process varies far less than latency when other work shares the
// machine, so it is the figure to compare two data paths by.
//
// One sample app; each bundle runs as eclusa starts it (its own process, route set over
// the control socket). Each pair loads every bundle in turn, the order alternating from
// pair to pair, with the open-loop generator of overhead.ts, and reads the router's user
// and system CPU ticks from /proc/<pid>/stat before and after. Prints each run, then per
// bundle the median over pairs and the median ratio of each bundle to the first.
// Bounded: PAIRS × bundles runs of SECONDS each; everything it starts is stopped at the end.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BuiltinRouter } from '../../src/adapters/router/builtin/builtin-router.js';
import { freePort } from '../../test/support/free-port.js';
import { startSampleApp } from '../../test/support/sample-app-process.js';

const PAIRS = Number(process.env['PAIRS'] ?? 5);
const RATE = Number(process.env['RATE'] ?? 1_000);
const SECONDS = Number(process.env['SECONDS'] ?? 5);
const WARM_UP = Number(process.env['WARM_UP'] ?? 500);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const GENERATOR = join(ROOT, 'bench/router/load-generator.ts');
const TICKS_PER_SECOND = 100;

const bundles = process.argv.slice(2).map((path) => resolve(path));
if (bundles.length === 0) bundles.push(join(ROOT, 'dist/router.cjs'));
for (const bundle of bundles) {
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: npm run build first`);
}

interface Ticks {
  readonly user: number;
  readonly system: number;
}

function ticksOf(pid: number): Ticks {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]), system: Number(fields[12]) };
}

function generate(url: string): Promise<{ requests: number; errors: number; p99: number }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', GENERATOR, url, String(RATE), String(SECONDS), String(WARM_UP)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((done, fail) => {
    child.once('error', fail);
    child.once('exit', (code) =>
      code === 0
        ? done(JSON.parse(out) as { requests: number; errors: number; p99: number })
        : fail(new Error(`load generator exited ${code}`)),
    );
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[middle]!
    : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

const app = await startSampleApp('1.0.0');
const home = mkdtempSync(join(tmpdir(), 'eclusa-bench-router-cpu-'));
const routers: { bundle: string; router: BuiltinRouter; url: string; pid: number }[] = [];
try {
  const route = {
    stable: { id: 'app', version: '1.0.0', endpoint: { host: app.host, port: app.port } },
    canaryWeight: 0,
  };
  for (const [index, bundle] of bundles.entries()) {
    const dir = join(home, String(index));
    const router = new BuiltinRouter({
      dir,
      port: await freePort(),
      entry: { command: process.execPath, args: [bundle] },
    });
    const { url } = await router.apply(route);
    const pid = Number(readFileSync(join(dir, 'router.pid'), 'utf8').trim());
    routers.push({ bundle, router, url, pid });
  }
  console.log(
    `${RATE} requests/s open loop for ${SECONDS} s (+${WARM_UP} warm-up) per bundle, ` +
      `${PAIRS} pairs; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  // One uncounted run each first: the JIT compiles the data path before any figure is kept.
  for (const { url } of routers) await generate(url);
  const perRequest = routers.map(() => [] as number[]);
  for (let pair = 0; pair < PAIRS; pair++) {
    const order = routers.map((_, i) => (pair % 2 === 0 ? i : routers.length - 1 - i));
    for (const index of order) {
      const { bundle, url, pid } = routers[index]!;
      const before = ticksOf(pid);
      const result = await generate(url);
      const after = ticksOf(pid);
      const requests = result.requests + WARM_UP;
      const us = (ticks: number) => (ticks / TICKS_PER_SECOND / requests) * 1e6;
      const user = us(after.user - before.user);
      const system = us(after.system - before.system);
      perRequest[index]!.push(user + system);
      console.log(
        `pair ${pair + 1} ${bundle}: ${(user + system).toFixed(0)} µs/request ` +
          `(user ${user.toFixed(0)}, system ${system.toFixed(0)}), p99 ${result.p99.toFixed(2)} ms, ` +
          `${result.errors} errors; load ${loadavg()[0]!.toFixed(2)}`,
      );
    }
  }
  console.log('');
  for (const [index, { bundle }] of routers.entries()) {
    const values = perRequest[index]!;
    const ratio =
      index === 0
        ? ''
        : `, ratio to the first ${median(values.map((v, i) => v / perRequest[0]![i]!)).toFixed(2)}`;
    console.log(
      `${bundle}: median ${median(values).toFixed(0)} µs/request ` +
        `(range ${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)})${ratio}`,
    );
  }
} finally {
  for (const { router } of routers) await router.shutdown().catch(() => undefined);
  await app.stop();
  rmSync(home, { recursive: true, force: true });
}
