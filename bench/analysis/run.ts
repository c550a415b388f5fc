/**
 * The comparative judge in figures: false alarms on A/A traffic, time to a decision on A/B
 * traffic (in measurements, and simulated seconds at a 1 s interval), and the requests it
 * needs against a fixed-horizon two-proportion test. Seeded Monte Carlo through the real
 * AnalysisRun: no clock, no network; the same figures on every machine.
 *
 *   BENCH_RUNS (default 2,000)  A/A runs per configuration (A/B runs are a quarter of it;
 *                               SPRT runs, being short, are all of it)
 *   BENCH_ONLY=sprt             only the SPRT / fixed-horizon section and the grid of
 *                               corrected boundaries (sprt-alpha-grid.ts; BENCH_GRID_RUNS,
 *                               BENCH_GRID_MARGIN)
 *   BENCH_ONLY=sprt-grid        only that grid
 *
 *   npm run bench:analysis
 */
import { availableParallelism, cpus } from 'node:os';
import { compileAnalysis, type AnalysisConfig } from '../../src/core/analysis/analysis-config.js';
import { simulateRun, type Scenario } from '../../src/core/analysis/testing/simulate-canary.js';
import { printCorrectedGrid } from './sprt-alpha-grid.js';
import { printSprtSection } from './sprt-vs-fixed.js';

const runs = Number(process.env['BENCH_RUNS'] ?? 2_000);
const abRuns = Math.max(100, Math.round(runs / 4));
const gridRuns = Number(process.env['BENCH_GRID_RUNS'] ?? 4_000);
const gridMargins =
  process.env['BENCH_GRID_MARGIN'] === undefined
    ? [0, 0.1]
    : [Number(process.env['BENCH_GRID_MARGIN'])];

const judge = (
  maxDegradation: number,
  metrics: ('error_rate' | 'latency')[] = ['error_rate'],
  alpha = 0.01,
): AnalysisConfig =>
  compileAnalysis('judge', {
    interval: '1s',
    minRequests: 50,
    compare: { metrics, maxDegradation, alpha },
  });

const base: Scenario = {
  requestsPerSecond: 200,
  canaryShare: 0.1,
  intervalSeconds: 1,
  baselineErrorRate: 0.01,
  canaryErrorRate: 0.01,
  maxMeasurements: 600,
};

interface Figures {
  readonly failed: number;
  readonly passed: number;
  readonly count: number;
  readonly medianMeasurements: number;
  readonly p90Measurements: number;
  readonly meanRequests: number;
  readonly meanCanaryRequests: number;
}

function simulate(
  config: AnalysisConfig,
  scenario: Scenario,
  count: number,
  seed: number,
): Figures {
  const failedRuns: { measurements: number; requests: number; canary: number }[] = [];
  let passed = 0;
  for (let i = 0; i < count; i++) {
    const run = simulateRun(config, scenario, seed + i);
    if (run.verdict === 'failed') {
      failedRuns.push({
        measurements: run.measurements,
        requests: run.totalRequests,
        canary: run.canaryRequests,
      });
    }
    if (run.verdict === 'passed') passed += 1;
  }
  const sorted = failedRuns.map((run) => run.measurements).sort((a, b) => a - b);
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  return {
    failed: failedRuns.length,
    passed,
    count,
    medianMeasurements: sorted[Math.floor(sorted.length / 2)] ?? NaN,
    p90Measurements: sorted[Math.floor(sorted.length * 0.9)] ?? NaN,
    meanRequests: mean(failedRuns.map((run) => run.requests)),
    meanCanaryRequests: mean(failedRuns.map((run) => run.canary)),
  };
}

const pct = (value: number) => `${(value * 100).toFixed(2)} %`;
const num = (value: number) => Math.round(value).toLocaleString('en-US');
const started = performance.now();

console.log(
  `machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, node ${process.version}`,
);
console.log(
  `traffic: ${base.requestsPerSecond} req/s, ${base.canaryShare * 100} % to the canary, read every ${base.intervalSeconds} s\n`,
);

if (process.env['BENCH_ONLY'] === 'sprt-grid') {
  printCorrectedGrid(gridRuns, gridMargins);
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s)`);
  process.exit(0);
}

if (process.env['BENCH_ONLY'] === 'sprt') {
  printSprtSection(base, runs);
  printCorrectedGrid(gridRuns, gridMargins);
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s)`);
  process.exit(0);
}

console.log(
  `## False alarms on A/A traffic (1 % errors both sides, ${runs} runs of ${base.maxMeasurements} s, alpha 1 %)`,
);
for (const maxDegradation of [0, 0.1]) {
  const figures = simulate(judge(maxDegradation), base, runs, 100_000);
  console.log(
    `maxDegradation ${maxDegradation}: false alarms ${figures.failed}/${runs} = ${pct(figures.failed / runs)}; passed early ${figures.passed}`,
  );
}
const latency = { medianSeconds: 0.05, sigma: 0.6 };
const aaLatency = {
  ...base,
  baselineLatency: latency,
  canaryLatency: latency,
  maxMeasurements: 300,
};
const latencyRuns = Math.max(100, Math.round(runs / 4));
const aaLat = simulate(judge(0, ['latency']), aaLatency, latencyRuns, 200_000);
console.log(
  `latency (rank test), maxDegradation 0: false alarms ${aaLat.failed}/${latencyRuns} = ${pct(aaLat.failed / latencyRuns)}`,
);

console.log(`\n## Detection on A/B traffic (${abRuns} runs each, alpha 1 %)`);
console.log(
  '| canary vs baseline | margin | detected | median / p90 measurements (= s) | mean requests to detect (canary) |',
);
console.log('|---|---|---|---|---|');
const errorCases: [number, number][] = [
  [0.3, 0.1],
  [0.05, 0.1],
  [0.03, 0.1],
  [0.03, 0],
  [0.02, 0],
];
for (const [rate, maxDegradation] of errorCases) {
  const figures = simulate(
    judge(maxDegradation),
    { ...base, canaryErrorRate: rate, maxMeasurements: 3_600 },
    abRuns,
    300_000,
  );
  console.log(
    `| 5xx ${pct(rate)} vs 1 % | ${maxDegradation * 100} % | ${pct(figures.failed / figures.count)} | ${figures.medianMeasurements} / ${figures.p90Measurements} | ${num(figures.meanRequests)} (${num(figures.meanCanaryRequests)}) |`,
  );
}
for (const factor of [1.2, 1.5, 2]) {
  const scenario = {
    ...base,
    baselineLatency: latency,
    canaryLatency: { ...latency, medianSeconds: latency.medianSeconds * factor },
    maxMeasurements: 600,
  };
  const figures = simulate(
    judge(0.1, ['error_rate', 'latency']),
    scenario,
    Math.round(abRuns / 2),
    400_000,
  );
  console.log(
    `| latency × ${factor} | 10 % | ${pct(figures.failed / figures.count)} | ${figures.medianMeasurements} / ${figures.p90Measurements} | ${num(figures.meanRequests)} (${num(figures.meanCanaryRequests)}) |`,
  );
}

console.log(
  '\n## Time to a decision at other request rates (canary 10 %, 1 s interval, margin 10 %)',
);
console.log('| req/s | 30 % errors: median / p90 s | 5 % errors: median / p90 s |');
console.log('|---|---|---|');
for (const rate of [50, 200, 1_000]) {
  const scenario = { ...base, requestsPerSecond: rate, maxMeasurements: 3_600 };
  const heavy = simulate(judge(0.1), { ...scenario, canaryErrorRate: 0.3 }, abRuns, 500_000);
  const light = simulate(judge(0.1), { ...scenario, canaryErrorRate: 0.05 }, abRuns, 600_000);
  console.log(
    `| ${rate} | ${heavy.medianMeasurements} / ${heavy.p90Measurements} | ${light.medianMeasurements} / ${light.p90Measurements} |`,
  );
}

printSprtSection(base, runs);
printCorrectedGrid(gridRuns, gridMargins);
console.log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s)`);
