// Progressive delivery end to end, through the real CLI: `npm run bench:canary`.
//
// For each router (builtin, managed HAProxy) a throwaway project deploys the bundled sample
// app under the process target with `eclusa deploy --wait` — a canary 10 % → 50 % → 100 %,
// each step judged by metrics read every second (scrape for builtin, HAProxy's counters for
// haproxy) — while an open-loop load sends GET /api/hello through the router and records,
// for every request, when it left and ended, its status and which version answered.
//
// - Time to safety: at 200 requests/s, once the canary takes its 10 %, it is switched to 30 %
//   errors at a random moment T (POST /fault on the canary itself); measured is T → the end of
//   the last request the canary answered.
// - No false alarms: the same with the canary as healthy as stable (1 % errors): rollbacks.
// - Zero downtime: a full canary to 100 % and a full automatic rollback at 300 requests/s:
//   requests that failed for another reason than the app's own fault knob.
//
// Bounded: TRIALS (20) failing and HEALTHY_TRIALS (20) healthy deployments, SWITCH_RUNS (3)
// of each zero-downtime run per router, every load stops by itself after 2 minutes, and
// every process started is stopped at the end, also on failure.
import { request } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import {
  createCanaryEnvironment,
  type CanaryEnvironment,
  type CanaryRouter,
} from '../../test/support/canary-environment.js';
import {
  startOpenLoopLoad,
  switchFailures,
  type RequestRecord,
} from '../../test/support/open-loop-load.js';

const TRIALS = Number(process.env['TRIALS'] ?? 20);
const HEALTHY_TRIALS = Number(process.env['HEALTHY_TRIALS'] ?? TRIALS);
const SWITCH_RUNS = Number(process.env['SWITCH_RUNS'] ?? 3);
const ROUTERS = (process.env['ROUTERS'] ?? 'builtin,haproxy').split(',') as CanaryRouter[];
const INTERVAL = process.env['INTERVAL'] ?? '1s';
const WINDOWS: [string, string] = [
  process.env['WINDOW_10'] ?? '5s',
  process.env['WINDOW_50'] ?? '3s',
];
const KINDS = (process.env['KINDS'] ?? 'fault,healthy,promote,rollback').split(',');
const RATE = 200;
const SWITCH_RATE = 300;
const FAULT_RATE = 0.3;
const HEALTHY_ERROR_RATE = '0.01';
const LOAD_MAX_MS = 120_000;

type Kind = 'fault' | 'healthy' | 'promote' | 'rollback';

interface DeployJson {
  status?: string;
  steps?: { id: string; kind: string; status: string; startedAt?: string; finishedAt?: string }[];
}

interface TrialResult {
  readonly router: CanaryRouter;
  readonly kind: Kind;
  readonly version: string;
  readonly code: number;
  readonly status: string;
  readonly records: readonly RequestRecord[];
  readonly steps: NonNullable<DeployJson['steps']>;
  /** Time to safety, ms: the fault's start → the end of the canary's last answer. */
  readonly safetyMs?: number;
  /** The fault's start → the failed analysis stored (its finishedAt). */
  readonly verdictMs?: number;
  /** The failed analysis stored → the rollback's traffic step stored. */
  readonly reactionMs?: number;
}

function post(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: false, timeout: 5_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error(`POST ${url} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** The deployment document `deploy --wait --json` prints (its progress events go to stderr). */
function parseDeploy(stdout: string): DeployJson {
  const start = stdout.lastIndexOf('\n{\n');
  try {
    return JSON.parse(start === -1 ? stdout : stdout.slice(start + 1)) as DeployJson;
  } catch {
    return {};
  }
}

let counter = 0;

async function trial(env: CanaryEnvironment, kind: Kind): Promise<TrialResult> {
  counter += 1;
  const version = `1.${counter}.0`;
  const switchRun = kind === 'promote' || kind === 'rollback';
  const failing = kind === 'fault' || kind === 'rollback';
  await env.release(version, {
    FAULT_ERROR_RATE: switchRun ? '0' : HEALTHY_ERROR_RATE,
    FAULT_CONTROL: 'on',
  });
  let firstCanary: number | undefined;
  const load = startOpenLoopLoad(`${env.url}/api/hello`, {
    perSecond: switchRun ? SWITCH_RATE : RATE,
    maxMs: LOAD_MAX_MS,
    onRecord: (r) => {
      if (firstCanary === undefined && r.version === version) firstCanary = r.doneAt;
    },
  });
  let faultAt: number | undefined;
  let faultWall: number | undefined;
  let ended = false;
  const deploying = env.deploy(version).finally(() => {
    ended = true;
  });
  try {
    if (failing) {
      while (!ended && firstCanary === undefined) await delay(10);
      const endpoint = ended ? undefined : await env.endpointOf(version);
      if (endpoint && firstCanary !== undefined) {
        // A random moment 1–2 s into the 10 % step, so T falls anywhere between two measurements.
        const at = firstCanary + 1_000 + Math.random() * 1_000;
        await delay(Math.max(0, at - performance.now()));
        faultAt = performance.now();
        faultWall = Date.now();
        const status = await post(`${endpoint}/fault`, JSON.stringify({ errorRate: FAULT_RATE }));
        if (status !== 200) throw new Error(`POST ${endpoint}/fault answered ${status}`);
      }
    }
    const deployed = await deploying;
    // Requests sent just before the end are still answered by whoever they reached.
    await delay(300);
    const records = await load.stop();
    const json = parseDeploy(deployed.stdout);
    const result = {
      router: env.router,
      kind,
      version,
      code: deployed.code,
      status: json.status ?? `exit ${deployed.code}`,
      records,
      steps: json.steps ?? [],
    };
    if (faultAt === undefined || faultWall === undefined) return result;
    const lastCanary = Math.max(
      ...records.filter((r) => r.version === version).map((r) => r.doneAt),
    );
    const failed = json.steps?.find((s) => s.kind === 'analysis' && s.status === 'failed');
    const back = json.steps?.find((s) => s.id.startsWith('rollback-') && s.kind === 'traffic');
    const verdict = failed?.finishedAt ? Date.parse(failed.finishedAt) : undefined;
    const switched = back?.finishedAt ? Date.parse(back.finishedAt) : undefined;
    return {
      ...result,
      safetyMs: lastCanary - faultAt,
      ...(verdict !== undefined ? { verdictMs: verdict - faultWall } : {}),
      ...(verdict !== undefined && switched !== undefined
        ? { reactionMs: switched - verdict }
        : {}),
    };
  } finally {
    if (!ended) await deploying;
    await load.stop();
  }
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const s = (ms: number | undefined): string =>
  ms === undefined ? '—' : `${(ms / 1000).toFixed(2)} s`;

/** A failed request: what came back, and which step was running when it was sent. */
function describeFailure(f: RequestRecord, steps: TrialResult['steps']): string {
  const sent = performance.timeOrigin + f.sentAt;
  const done = performance.timeOrigin + f.doneAt;
  const running = steps.filter(
    (step) =>
      step.startedAt !== undefined &&
      Date.parse(step.startedAt) <= done &&
      (step.finishedAt === undefined || Date.parse(step.finishedAt) >= sent),
  );
  const last = steps.reduce(
    (end, step) => Math.max(end, Date.parse(step.finishedAt ?? '') || 0),
    0,
  );
  const where =
    running.map((step) => step.id).join(', ') ||
    (sent > last ? `${((sent - last) / 1000).toFixed(2)} s after the last step` : 'between steps');
  return `${f.status} ${f.error ?? f.body ?? ''}${f.reusedSocket ? ' (reused socket)' : ''} · sent ${new Date(sent).toISOString()}, ${(f.doneAt - f.sentAt).toFixed(0)} ms · ${where}`;
}

function line(r: TrialResult): string {
  const failures = switchFailures(r.records);
  const canary = r.records.filter((x) => x.version === r.version).length;
  const parts = [
    `${r.router.padEnd(7)} ${r.kind.padEnd(8)} ${r.version.padEnd(7)} ${r.status.padEnd(11)}`,
    `${r.records.length} requests, ${canary} by the canary, ${failures.length} failed by a switch`,
  ];
  if (r.safetyMs !== undefined)
    parts.push(
      `safety ${s(r.safetyMs)} (verdict ${s(r.verdictMs)}, then traffic back ${s(r.reactionMs)})`,
    );
  const text = parts.join(' · ');
  return [text, ...failures.slice(0, 10).map((f) => `    ${describeFailure(f, r.steps)}`)].join(
    '\n',
  );
}

const environments: CanaryEnvironment[] = [];
const results: TrialResult[] = [];
try {
  for (const router of ROUTERS) {
    const env = await createCanaryEnvironment({ router, windows: WINDOWS, interval: INTERVAL });
    environments.push(env);
    await env.release('1.0.0', { FAULT_ERROR_RATE: HEALTHY_ERROR_RATE, FAULT_CONTROL: 'on' });
    const first = await env.deploy('1.0.0');
    if (first.code !== 0)
      throw new Error(`first deploy on ${router} exited ${first.code}: ${first.stderr}`);
  }
  console.log(
    `canary bench: routers ${ROUTERS.join(', ')}; analysis every ${INTERVAL}, windows ${WINDOWS.join(' / ')}; ` +
      `${TRIALS} failing and ${HEALTHY_TRIALS} healthy trials at ${RATE} req/s, ${SWITCH_RUNS} promote and rollback runs at ${SWITCH_RATE} req/s`,
  );
  const plan: Kind[] = [];
  for (let i = 0; i < Math.max(TRIALS, HEALTHY_TRIALS, SWITCH_RUNS); i++) {
    if (i < TRIALS) plan.push('fault');
    if (i < HEALTHY_TRIALS) plan.push('healthy');
    if (i < SWITCH_RUNS) plan.push('promote', 'rollback');
  }
  plan.splice(0, plan.length, ...plan.filter((kind) => KINDS.includes(kind)));
  for (const kind of plan) {
    // Interleaved: each kind runs on every router before the next, so load on the shared
    // machine falls on both alike.
    for (const env of environments) {
      const result = await trial(env, kind);
      results.push(result);
      console.log(line(result));
    }
  }
} finally {
  for (const env of environments) await env.close();
}

console.log('\nsummary');
for (const router of ROUTERS) {
  const mine = results.filter((r) => r.router === router);
  const faults = mine.filter((r) => r.kind === 'fault');
  const safety = faults.flatMap((r) => (r.safetyMs === undefined ? [] : [r.safetyMs]));
  const verdict = faults.flatMap((r) => (r.verdictMs === undefined ? [] : [r.verdictMs]));
  const reaction = faults.flatMap((r) => (r.reactionMs === undefined ? [] : [r.reactionMs]));
  const healthy = mine.filter((r) => r.kind === 'healthy');
  const stat = (v: number[]) =>
    `p50 ${s(percentile(v, 50))}, p95 ${s(percentile(v, 95))}, max ${s(Math.max(...v))}`;
  console.log(`${router}:`);
  console.log(
    `  time to safety at ${RATE} req/s (${faults.filter((r) => r.status === 'rolled_back').length} of ${faults.length} failing canaries rolled back): ${stat(safety)}`,
  );
  console.log(`    fault → failed verdict stored: ${stat(verdict)}`);
  console.log(`    verdict stored → rollback's traffic step stored: ${stat(reaction)}`);
  console.log(
    `  false alarms: ${healthy.filter((r) => r.status !== 'succeeded').length} of ${healthy.length} healthy canaries not promoted (${healthy.filter((r) => r.status === 'rolled_back').length} rolled back)`,
  );
  for (const kind of ['promote', 'rollback', 'fault', 'healthy'] as const) {
    const runs = mine.filter((r) => r.kind === kind);
    if (runs.length === 0) continue;
    const requests = runs.reduce((n, r) => n + r.records.length, 0);
    const failed = runs.reduce((n, r) => n + switchFailures(r.records).length, 0);
    const statuses = runs.map((r) => r.status).join(', ');
    console.log(
      `  ${kind} runs (${runs[0]?.kind === 'promote' || runs[0]?.kind === 'rollback' ? SWITCH_RATE : RATE} req/s): ${failed} of ${requests} requests failed by a switch; outcomes ${statuses}`,
    );
  }
}
