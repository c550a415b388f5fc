// Added latency of the builtin router (dist/router.cjs, started as eclusa starts it) and of
// a managed HAProxy versus a direct connection to the sample app, at a paced open-loop
// rate against 127.0.0.1: `npm run bench:router` (RATE, SECONDS, ROUNDS, WARM_UP,
// WARM_ROUNDS; ROUTER_NODE_FLAGS passes flags to the router's node, e.g. GC settings).
//
// The load comes from a process of its own (load-generator.ts). Each round measures the
// three targets one after the other, in an order that rotates from round to round, and a
// target's added latency is taken against the direct figures of the same round; the
// summary is the median over rounds. Beside each run: how much CPU the rest of the machine
// used meanwhile (other people's work on a shared host), and the router's CPU per request.
// Bounded: ROUNDS × 3 runs of SECONDS each; everything it starts is stopped at the end.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BuiltinRouter } from '../../src/adapters/router/builtin/builtin-router.js';
import { HaproxyRouter } from '../../src/adapters/router/haproxy/haproxy-router.js';
import { freePort } from '../../test/support/free-port.js';
import { startSampleApp } from '../../test/support/sample-app-process.js';

const RATE = Number(process.env['RATE'] ?? 1_000);
const SECONDS = Number(process.env['SECONDS'] ?? 5);
const ROUNDS = Number(process.env['ROUNDS'] ?? 5);
const WARM_UP = Number(process.env['WARM_UP'] ?? 1_000);
const WARM_ROUNDS = Number(process.env['WARM_ROUNDS'] ?? 1);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUNDLE = join(ROOT, 'dist/router.cjs');
const GENERATOR = join(ROOT, 'bench/router/load-generator.ts');
const TICKS_PER_SECOND = 100;
const QUIET_CORES = 0.5;

if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: npm run build first`);

interface GeneratorResult {
  readonly requests: number;
  readonly errors: number;
  readonly achievedRate: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly lateP50: number;
  readonly lateP99: number;
  readonly cpuMs: number;
}

interface Run extends GeneratorResult {
  readonly target: string;
  /** CPU the rest of the machine used during the run, in cores (2 = both fully busy). */
  readonly othersCores: number;
  /** The router process's CPU time per request (direct: none). */
  readonly routerCpuUs: number | undefined;
}

/** Busy CPU ticks of the whole machine (/proc/stat: all but idle and iowait). */
function machineBusyTicks(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1);
  const values = fields.map(Number);
  const total = values.reduce((sum, value) => sum + value, 0);
  return total - (values[3] ?? 0) - (values[4] ?? 0);
}

function processTicks(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

function generate(url: string): Promise<GeneratorResult & { wallMs: number }> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', GENERATOR, url, String(RATE), String(SECONDS), String(WARM_UP)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load generator exited ${code}`));
      else
        resolve({
          ...(JSON.parse(out) as GeneratorResult),
          wallMs: performance.now() - started,
        });
    });
  });
}

async function run(target: string, url: string, pids: (number | undefined)[]): Promise<Run> {
  const [routerPid, appPid] = pids;
  const busy = machineBusyTicks();
  const router = processTicks(routerPid);
  const app = processTicks(appPid);
  const result = await generate(url);
  const routerTicks = processTicks(routerPid) - router;
  const ours =
    routerTicks + (processTicks(appPid) - app) + (result.cpuMs / 1_000) * TICKS_PER_SECOND;
  const others = Math.max(0, machineBusyTicks() - busy - ours);
  return {
    ...result,
    target,
    othersCores: others / TICKS_PER_SECOND / (result.wallMs / 1_000),
    routerCpuUs:
      routerPid === undefined
        ? undefined
        : (routerTicks / TICKS_PER_SECOND / (result.requests + WARM_UP)) * 1e6,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[middle]!
    : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

const ms = (value: number) => `${value.toFixed(2)} ms`;
const pid = (path: string) => Number(readFileSync(path, 'utf8').trim().split('\n')[0]);

const app = await startSampleApp('1.0.0');
const home = mkdtempSync(join(tmpdir(), 'eclusa-bench-router-'));
const builtin = new BuiltinRouter({
  dir: join(home, 'builtin'),
  port: await freePort(),
  entry: {
    command: process.execPath,
    args: [...(process.env['ROUTER_NODE_FLAGS'] ?? '').split(' ').filter(Boolean), BUNDLE],
  },
});
const haproxy = new HaproxyRouter({
  dir: join(home, 'haproxy'),
  manage: true,
  listen: await freePort(),
  backend: 'eclusa_bench',
  servers: { stable: 'stable', canary: 'canary' },
});
try {
  const route = {
    stable: { id: 'app', version: '1.0.0', endpoint: { host: app.host, port: app.port } },
    canaryWeight: 0,
  };
  const targets = [
    { name: 'direct', url: app.url, pid: () => undefined },
    {
      name: 'builtin',
      url: (await builtin.apply(route)).url,
      pid: () => pid(join(home, 'builtin', 'router.pid')),
    },
    {
      name: 'haproxy',
      url: (await haproxy.apply(route)).url,
      pid: () => pid(join(home, 'haproxy', 'haproxy.pid')),
    },
  ];
  console.log(
    `${RATE} requests/s open loop for ${SECONDS} s per target, ${ROUNDS} rounds, ` +
      `keep-alive on both hops, 127.0.0.1; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  // A router is a long-running process: one uncounted run through each target first, so
  // the JIT's first seconds (a router just started costs half as much CPU again per
  // request) are not counted as the steady state's overhead. WARM_ROUNDS=0 counts them.
  for (let warm = 0; warm < WARM_ROUNDS; warm++) {
    for (const target of targets) await run(target.name, target.url, [target.pid(), app.pid]);
  }
  if (WARM_ROUNDS > 0) console.log(`${WARM_ROUNDS} uncounted warm-up round(s) run`);
  const rounds: Run[][] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = targets.map((_, i) => targets[(i + round) % targets.length]!);
    const runs: Run[] = [];
    for (const target of order)
      runs.push(await run(target.name, target.url, [target.pid(), app.pid]));
    rounds.push(runs);
    const direct = runs.find((r) => r.target === 'direct')!;
    for (const r of runs) {
      const added =
        r === direct ? '' : `  added p50 ${ms(r.p50 - direct.p50)} p99 ${ms(r.p99 - direct.p99)}`;
      console.log(
        `round ${round + 1} ${r.target.padEnd(7)} p50 ${ms(r.p50)} p99 ${ms(r.p99)} max ${ms(r.max)}` +
          `${added}  | sent late p99 ${ms(r.lateP99)}, ${r.achievedRate.toFixed(0)}/s, ` +
          `${r.errors} errors; others' CPU ${r.othersCores.toFixed(2)} cores` +
          (r.routerCpuUs === undefined
            ? ''
            : `; router ${r.routerCpuUs.toFixed(0)} µs CPU/request`),
      );
    }
  }
  const summarise = (title: string, chosen: Run[][]) => {
    console.log(`\n${title} (added: against the direct run of the same round)`);
    for (const target of targets) {
      const runs = chosen.map((runs) => runs.find((r) => r.target === target.name)!);
      const direct = chosen.map((runs) => runs.find((r) => r.target === 'direct')!);
      const added =
        target.name === 'direct'
          ? ''
          : `  added p50 ${ms(median(runs.map((r, i) => r.p50 - direct[i]!.p50)))}` +
            ` p99 ${ms(median(runs.map((r, i) => r.p99 - direct[i]!.p99)))}`;
      const cpu =
        runs[0]?.routerCpuUs === undefined
          ? ''
          : `  router CPU ${median(runs.map((r) => r.routerCpuUs!)).toFixed(0)} µs/request`;
      console.log(
        `${target.name.padEnd(7)} p50 ${ms(median(runs.map((r) => r.p50)))}` +
          ` p99 ${ms(median(runs.map((r) => r.p99)))}${added}${cpu}`,
      );
    }
  };
  summarise(`median of all ${rounds.length} rounds`, rounds);
  // A quiet round: the rest of the machine left most of both cores to this benchmark.
  const quiet = rounds.filter((runs) => runs.every((r) => r.othersCores < QUIET_CORES));
  if (quiet.length > 0 && quiet.length < rounds.length) {
    summarise(`median of the ${quiet.length} quiet rounds (others < ${QUIET_CORES} cores)`, quiet);
  }
  console.log(
    `others' CPU during the runs: ${rounds
      .flat()
      .map((r) => r.othersCores.toFixed(2))
      .join(' ')} cores; load average now ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
} finally {
  await builtin.shutdown().catch(() => undefined);
  await haproxy.shutdown().catch(() => undefined);
  await app.stop();
  rmSync(home, { recursive: true, force: true });
}
