/**
 * The SPRT's overshoot-corrected boundaries (`boundaries: corrected`) are an approximation:
 * this grid checks that their false alarms on A/A traffic stay at or below α across
 * traffic profiles, two ways — counted in plain A/A runs (with the exact binomial 95 %
 * upper bound), and estimated by importance sampling (tilted-false-alarms.ts, a hundredth
 * of the variance) — and gives the real power at the design effect. Part of
 * `BENCH_ONLY=sprt npm run bench:analysis`.
 *
 *   BENCH_GRID_RUNS (default 4,000)  A/A runs per cell; importance-sampled and power runs
 *                                    are a quarter of it; 0 leaves the grid out
 *   BENCH_GRID_MARGIN                one margin only (0 or 0.1), to split the grid over
 *                                    two processes
 *   BENCH_GRID_PROFILE=R,P,S         one cell only: R requests/s, baseline error rate P,
 *                                    canary share S (to count a cell again)
 *   BENCH_GRID_SEED                  first seed (default 20,000,000): fresh runs
 */
import { compileAnalysis, type AnalysisConfig } from '../../src/core/analysis/analysis-config.js';
import { logChoose } from '../../src/core/analysis/stats/log-math.js';
import { simulateRun, type Scenario } from '../../src/core/analysis/testing/simulate-canary.js';
import { tiltedFalseAlarmRate } from '../../src/core/analysis/testing/tilted-false-alarms.js';

const ALPHA = 0.01;
/** Runs still undecided after two hours at one measurement a second are cut (not failed). */
const CAP = 7_200;

export const correctedJudge = (detect: number, maxDegradation: number): AnalysisConfig =>
  compileAnalysis('judge', {
    interval: '1s',
    minRequests: 50,
    compare: {
      metrics: ['error_rate'],
      maxDegradation,
      alpha: ALPHA,
      test: 'sprt',
      detect,
      boundaries: 'corrected',
    },
  });

/** The exact one-sided 95 % upper bound on a binomial rate (Clopper–Pearson). */
export function binomialUpperBound(failures: number, runs: number, confidence = 0.95): number {
  if (failures >= runs) return 1;
  const cdf = (p: number): number => {
    let sum = 0;
    for (let k = 0; k <= failures; k++) {
      sum += Math.exp(logChoose(runs, k) + k * Math.log(p) + (runs - k) * Math.log1p(-p));
    }
    return sum;
  };
  let [low, high] = [failures / runs, 1];
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (cdf(mid) > 1 - confidence) low = mid;
    else high = mid;
  }
  return high;
}

/** The canary's error rate at odds ratio ψ to the baseline's rate p. */
const atOddsRatio = (p: number, psi: number) => (psi * p) / (1 - p + psi * p);

const pct = (value: number, digits = 2) => `${(value * 100).toFixed(digits)} %`;

export function printCorrectedGrid(runs: number, margins: readonly number[]): void {
  if (runs <= 0) return;
  const only = process.env['BENCH_GRID_PROFILE']?.split(',').map(Number);
  const quarter = Math.max(100, Math.round(runs / 4));
  console.log(
    `\n## SPRT with corrected boundaries: false alarms on A/A traffic across traffic profiles (detect 1, power 90 %, alpha 1 %, read every second, runs cut at ${CAP} s)`,
  );
  console.log(
    `A/A: ${runs} runs per cell, counted (exact 95 % upper bound) and ${quarter} importance-sampled (± standard error); power at odds ratio 2: ${quarter} runs`,
  );
  console.log(
    '| req/s | baseline errors | canary share | margin | A/A false alarms | 95 % upper bound | importance-sampled | undecided at cut | power at ×2 odds |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  let worst = { counted: 0, sampled: 0 };
  let seed = Number(process.env['BENCH_GRID_SEED'] ?? 20_000_000);
  for (const maxDegradation of margins) {
    const config = correctedJudge(1, maxDegradation);
    for (const requestsPerSecond of [50, 200]) {
      for (const baselineErrorRate of [0.002, 0.01, 0.05]) {
        for (const canaryShare of [0.05, 0.1, 0.5]) {
          seed += 100_000;
          const cell = [requestsPerSecond, baselineErrorRate, canaryShare];
          if (only && only.some((value, i) => value !== cell[i])) continue;
          const aa: Scenario = {
            requestsPerSecond,
            canaryShare,
            intervalSeconds: 1,
            baselineErrorRate,
            canaryErrorRate: baselineErrorRate,
            maxMeasurements: CAP,
          };
          let [failed, undecided] = [0, 0];
          for (let i = 0; i < runs; i++) {
            const verdict = simulateRun(config, aa, seed + i).verdict;
            if (verdict === 'failed') failed += 1;
            if (verdict === 'running') undecided += 1;
          }
          const sampled = tiltedFalseAlarmRate(config, aa, Math.log(2), quarter, seed + 50_000);
          const design = { ...aa, canaryErrorRate: atOddsRatio(baselineErrorRate, 2) };
          let [caught, cut] = [0, 0];
          for (let i = 0; i < quarter; i++) {
            const verdict = simulateRun(config, design, seed + 70_000 + i).verdict;
            if (verdict === 'failed') caught += 1;
            if (verdict === 'running') cut += 1;
          }
          worst = {
            counted: Math.max(worst.counted, failed / runs),
            sampled: Math.max(worst.sampled, sampled.rate),
          };
          console.log(
            `| ${requestsPerSecond} | ${pct(baselineErrorRate, 1)} | ${pct(canaryShare, 0)} | ${maxDegradation} | ${failed}/${runs} = ${pct(failed / runs)} | ${pct(binomialUpperBound(failed, runs))} | ${pct(sampled.rate, 3)} ± ${pct(sampled.standardError, 3)} | ${undecided} | ${pct(caught / quarter, 1)}${cut > 0 ? ` (${cut} undecided)` : ''} |`,
          );
        }
      }
    }
  }
  console.log(
    `worst cell: counted ${pct(worst.counted)}, importance-sampled ${pct(worst.sampled, 3)} (alpha ${pct(ALPHA)})`,
  );
}
