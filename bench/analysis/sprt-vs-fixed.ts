/**
 * The error-rate judge's two sequential tests against a fixed-horizon two-proportion test
 * with the same α (one-sided) and 90 % power at the same traffic split: requests to a
 * decision, detection rate, A/A false alarms; and the fixed test's own size (formula) with
 * its simulated power and false-alarm rate. Part of `npm run bench:analysis`.
 */
import { compileAnalysis, type AnalysisConfig } from '../../src/core/analysis/analysis-config.js';
import {
  fixedHorizonRequests,
  fixedTestRejectionRate,
  fixedTestRequestsFor,
} from '../../src/core/analysis/testing/fixed-horizon.js';
import { tiltedFalseAlarmRate } from '../../src/core/analysis/testing/tilted-false-alarms.js';
import {
  simulateRun,
  type Scenario,
  type SimulatedRun,
} from '../../src/core/analysis/testing/simulate-canary.js';

import { binomialUpperBound } from './sprt-alpha-grid.js';

const ALPHA = 0.01;
const POWER = 0.9;

export const sprtJudge = (
  detect: number,
  maxDegradation = 0,
  boundaries: 'exact' | 'corrected' = 'exact',
): AnalysisConfig =>
  compileAnalysis('judge', {
    interval: '1s',
    minRequests: 50,
    compare: {
      metrics: ['error_rate'],
      maxDegradation,
      alpha: ALPHA,
      test: 'sprt',
      detect,
      boundaries,
    },
  });

const mixtureJudge = (maxDegradation = 0): AnalysisConfig =>
  compileAnalysis('judge', {
    interval: '1s',
    minRequests: 50,
    compare: { metrics: ['error_rate'], maxDegradation, alpha: ALPHA },
  });

interface Decisions {
  readonly count: number;
  readonly failed: number;
  readonly passed: number;
  /** Mean over every run of the requests seen when it decided (or was cut off). */
  readonly meanRequests: number;
  readonly meanCanaryRequests: number;
  /** The same over the runs that failed the canary only. */
  readonly meanRequestsToFail: number;
  readonly medianSeconds: number;
  readonly p90Seconds: number;
}

function decisions(config: AnalysisConfig, scenario: Scenario, count: number, seed: number) {
  const all: SimulatedRun[] = [];
  for (let i = 0; i < count; i++) all.push(simulateRun(config, scenario, seed + i));
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  const failed = all.filter((run) => run.verdict === 'failed');
  const seconds = all.map((run) => run.measurements).sort((a, b) => a - b);
  return {
    count,
    failed: failed.length,
    passed: all.filter((run) => run.verdict === 'passed').length,
    meanRequests: mean(all.map((run) => run.totalRequests)),
    meanCanaryRequests: mean(all.map((run) => run.canaryRequests)),
    meanRequestsToFail: mean(failed.map((run) => run.totalRequests)),
    medianSeconds: seconds[Math.floor(seconds.length / 2)] ?? NaN,
    p90Seconds: seconds[Math.floor(seconds.length * 0.9)] ?? NaN,
  } satisfies Decisions;
}

const pct = (value: number, digits = 1) => `${(value * 100).toFixed(digits)} %`;
const num = (value: number) => Math.round(value).toLocaleString('en-US');

export function printSprtSection(base: Scenario, runs: number): void {
  console.log(
    `\n## Wald's SPRT (test: sprt, power 90 %) and the mixture against a fixed-horizon test (alpha 1 %, ${runs} runs each)`,
  );
  const aaCases: [number, 'exact' | 'corrected', number][] = [
    [1, 'exact', 0],
    [1, 'exact', 0.1],
    [1, 'corrected', 0],
    [1, 'corrected', 0.1],
    [2, 'exact', 0],
    [2, 'corrected', 0],
  ];
  for (const [detect, boundaries, maxDegradation] of aaCases) {
    const config = sprtJudge(detect, maxDegradation, boundaries);
    const aa = decisions(config, base, runs, 800_000);
    const sampled = tiltedFalseAlarmRate(config, base, Math.log(1 + detect), runs, 850_000);
    console.log(
      `A/A, SPRT detect ${detect}, ${boundaries} boundaries, margin ${maxDegradation}: false alarms ${aa.failed}/${runs} = ${pct(aa.failed / runs, 2)} (95 % upper bound ${pct(binomialUpperBound(aa.failed, runs), 2)}; importance-sampled ${pct(sampled.rate, 3)} ± ${pct(sampled.standardError, 3)}); passed ${aa.passed}, mean ${num(aa.meanRequests)} requests (${num(aa.meanCanaryRequests)} canary), median / p90 ${aa.medianSeconds} / ${aa.p90Seconds} s`,
    );
  }

  console.log(
    '\n| canary vs baseline | test | failed (power) | mean requests to decide, total (canary) | mean requests of the runs that failed | median / p90 s |',
  );
  console.log('|---|---|---|---|---|---|');
  const cases: [number, string, AnalysisConfig][] = [
    [0.015, 'SPRT detect 1', sprtJudge(1)],
    [0.015, 'SPRT detect 1 corrected', sprtJudge(1, 0, 'corrected')],
    [0.02, 'SPRT detect 1', sprtJudge(1)],
    [0.02, 'SPRT detect 1 corrected', sprtJudge(1, 0, 'corrected')],
    [0.02, 'mixture', mixtureJudge()],
    [0.03, 'SPRT detect 1', sprtJudge(1)],
    [0.03, 'SPRT detect 1 corrected', sprtJudge(1, 0, 'corrected')],
    [0.03, 'SPRT detect 2', sprtJudge(2)],
    [0.03, 'SPRT detect 2 corrected', sprtJudge(2, 0, 'corrected')],
    [0.03, 'mixture', mixtureJudge()],
  ];
  const means = new Map<string, number>();
  for (const [rate, label, config] of cases) {
    const scenario = { ...base, canaryErrorRate: rate, maxMeasurements: 3_600 };
    const mixture = label === 'mixture';
    const figures = decisions(config, scenario, mixture ? Math.round(runs / 4) : runs, 900_000);
    means.set(`${rate} ${label}`, figures.meanRequests);
    console.log(
      `| 5xx ${pct(rate)} vs 1 % | ${label} | ${pct(figures.failed / figures.count)} | ${num(figures.meanRequests)} (${num(figures.meanCanaryRequests)}) | ${num(figures.meanRequestsToFail)} | ${figures.medianSeconds} / ${figures.p90Seconds} |`,
    );
  }

  console.log(
    '\nFixed horizon, one-sided, alpha 1 %, power 90 %, 10 % canary (simulated on 20,000 samples):',
  );
  console.log(
    '| designed for | z-test: size by formula | its power / real false alarms | z-test at a real 1 %: size for 90 % | Fisher exact: size for 90 % | its false alarms |',
  );
  console.log('|---|---|---|---|---|---|');
  const fixed = new Map<number, { z: number; level: number; fisher: number }>();
  for (const rate of [0.02, 0.03]) {
    const z = fixedHorizonRequests(0.01, rate, base.canaryShare, ALPHA, POWER);
    const common = { share: base.canaryShare, p0: 0.01, alpha: ALPHA, runs: 20_000 };
    const zPower = fixedTestRejectionRate('z', { ...common, requests: z, p1: rate, seed: 1 });
    const zAlarms = fixedTestRejectionRate('z', { ...common, requests: z, p1: 0.01, seed: 2 });
    const search = { ...common, runs: 5_000, p1: rate, power: POWER, step: 100 };
    const level = fixedTestRequestsFor('z-exact-level', { ...search, seed: 3 });
    const fisher = fixedTestRequestsFor('fisher', { ...search, seed: 5 });
    const fisherAlarms = fixedTestRejectionRate('fisher', {
      ...common,
      requests: fisher,
      p1: 0.01,
      seed: 6,
    });
    fixed.set(rate, { z, level, fisher });
    console.log(
      `| 1 % → ${pct(rate)} | ${num(z)} (${num(z * base.canaryShare)} canary) | ${pct(zPower)} / ${pct(zAlarms)} | ${num(level)} | ${num(fisher)} | ${pct(fisherAlarms)} |`,
    );
  }

  console.log(
    '\nMean requests to decide, and how many fewer than the fixed test (z by formula / z at a real 1 % / Fisher exact):',
  );
  const forTwo = fixed.get(0.02)!;
  const fewer = (mean: number, size: { z: number; level: number; fisher: number }) =>
    [size.z, size.level, size.fisher].map((n) => pct(1 - mean / n)).join(' / ');
  for (const [key, mean] of means) {
    const rate = Number(key.split(' ')[0]);
    const exact = fixed.get(rate);
    if (!exact) continue;
    console.log(
      `1 % → ${pct(rate)}, ${key.slice(key.indexOf(' ') + 1)}: ${num(mean)}; sized for this effect ${fewer(mean, exact)}` +
        (rate === 0.02 ? '' : `; sized for 1 % → 2 % ${fewer(mean, forTwo)}`),
    );
  }
}
