import type { AnalysisConfig } from '../analysis-config.js';
import type { SideWindow } from '../metrics-source.js';
import { logChoose } from '../stats/log-math.js';
import { windowLikelihood, windowLogRatio } from '../stats/noncentral-hypergeometric.js';
import { mulberry32, runOnWindows, simulateWindows, type Scenario } from './simulate-canary.js';

/*
 * The false-alarm rate of the SPRT on A/A traffic, by importance sampling — the same
 * quantity a plain A/A simulation counts, with a hundred times less variance. A false alarm
 * is rare (1 in 100 runs), so counting them takes thousands of runs for a rough figure; but
 * its probability is also, exactly,
 *
 *   P_A/A(fail) = E_Q[ Π_w P_A/A(x_w | margins_w) / P_Q(x_w | margins_w) ; fail ]
 *
 * where under Q each window's margins (request counts, total errors) come from the same A/A
 * traffic and its canary errors from the noncentral hypergeometric at the odds ratio the
 * test looks for. Under Q most runs fail, each with a weight (the inverse likelihood ratio)
 * below e^{−boundary}: the mean weight is an unbiased estimate whose spread is small.
 * (D. Siegmund, "Importance sampling in the Monte Carlo study of sequential tests",
 * Ann. Stat. 4, 1976.)
 */

export interface TiltedRun {
  readonly verdict: string;
  /** The run's weight: P_A/A / P_Q of what it saw when it failed, 0 otherwise. */
  readonly weight: number;
}

/**
 * One run of `config` on the scenario's traffic tilted to odds ratio e^{tiltLogPsi}: the
 * scenario's canary and baseline must have the same error rate (A/A).
 */
export function tiltedAaRun(
  config: AnalysisConfig,
  scenario: Scenario,
  tiltLogPsi: number,
  seed: number,
): TiltedRun {
  const random = mulberry32(seed ^ 0x5bd1e995);
  let logWeight = 0;
  function* tilted(): Generator<{ canary: SideWindow; stable: SideWindow }> {
    for (const { canary, stable } of simulateWindows(scenario, seed)) {
      const n = canary.errors + stable.errors;
      const x = sampleCanaryErrors(canary.requests, stable.requests, n, tiltLogPsi, random());
      const counts = {
        canaryRequests: canary.requests,
        canaryErrors: x,
        baselineRequests: stable.requests,
        baselineErrors: n - x,
      };
      const likelihood = windowLikelihood(counts);
      if (likelihood) logWeight -= windowLogRatio(likelihood, tiltLogPsi, 0);
      yield { canary: { ...canary, errors: x }, stable: { ...stable, errors: n - x } };
    }
  }
  const run = runOnWindows(config, tilted(), scenario.maxMeasurements);
  return { verdict: run.verdict, weight: run.verdict === 'failed' ? Math.exp(logWeight) : 0 };
}

/** Canary errors given the margins, from Fisher's noncentral hypergeometric, by inversion. */
export function sampleCanaryErrors(
  canaryRequests: number,
  baselineRequests: number,
  errors: number,
  logPsi: number,
  u: number,
): number {
  const low = Math.max(0, errors - baselineRequests);
  const high = Math.min(errors, canaryRequests);
  if (low >= high) return low;
  const logWeights: number[] = [];
  for (let y = low; y <= high; y++) {
    logWeights.push(
      logChoose(canaryRequests, y) + logChoose(baselineRequests, errors - y) + y * logPsi,
    );
  }
  const max = Math.max(...logWeights);
  const weights = logWeights.map((w) => Math.exp(w - max));
  const total = weights.reduce((a, b) => a + b, 0);
  let cumulative = 0;
  for (let i = 0; i < weights.length; i++) {
    cumulative += weights[i]! / total;
    if (u < cumulative) return low + i;
  }
  return high;
}

/** The mean weight over runs (the false-alarm rate) and its standard error. */
export function tiltedFalseAlarmRate(
  config: AnalysisConfig,
  scenario: Scenario,
  tiltLogPsi: number,
  runs: number,
  seed: number,
): { readonly rate: number; readonly standardError: number; readonly failedUnderTilt: number } {
  let [sum, squares, failed] = [0, 0, 0];
  for (let i = 0; i < runs; i++) {
    const run = tiltedAaRun(config, scenario, tiltLogPsi, seed + i);
    sum += run.weight;
    squares += run.weight ** 2;
    if (run.verdict === 'failed') failed += 1;
  }
  const rate = sum / runs;
  return {
    rate,
    standardError: Math.sqrt(Math.max(0, squares / runs - rate * rate) / runs),
    failedUnderTilt: failed,
  };
}
