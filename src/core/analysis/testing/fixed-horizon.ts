import { logChoose, logSumExp } from '../stats/log-math.js';
import { binomial, mulberry32 } from './simulate-canary.js';

/**
 * The yardstick the sequential tests are measured against: a fixed-horizon one-sided
 * two-proportion test that looks once, after a sample sized in advance. The sample size by
 * the usual normal-approximation formula, and a seeded simulation of what that test
 * really does at that size — the z-test itself, and Fisher's exact test, its counterpart
 * that holds α exactly.
 */

/** Φ⁻¹(p) by bisection on Φ: the bench and the tests need a handful of values. */
export function normalQuantile(p: number): number {
  let [low, high] = [-10, 10];
  for (let i = 0; i < 100; i++) {
    const mid = (low + high) / 2;
    if (0.5 * (1 + erf(mid / Math.SQRT2)) < p) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

function erf(x: number): number {
  // Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): enough for a sample-size formula.
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

/**
 * Requests (both sides) a one-sided two-proportion z-test needs for power `power` at level
 * α, with a `share` of requests on the canary: the pooled-variance formula (Fleiss, Levin &
 * Paik, Statistical Methods for Rates and Proportions, 3rd ed., §4.2, unequal groups).
 */
export function fixedHorizonRequests(
  p0: number,
  p1: number,
  share: number,
  alpha: number,
  power: number,
): number {
  const r = (1 - share) / share;
  const pooled = (p1 + r * p0) / (1 + r);
  const canary =
    (normalQuantile(1 - alpha) * Math.sqrt(pooled * (1 - pooled) * (1 + 1 / r)) +
      normalQuantile(power) * Math.sqrt(p1 * (1 - p1) + (p0 * (1 - p0)) / r)) **
      2 /
    (p1 - p0) ** 2;
  return canary / share;
}

/**
 * `z`: the pooled two-proportion z-test at its normal critical value; with rare errors its
 * real false-alarm rate is above α. `z-exact-level`: the same statistic with its critical
 * value raised, by simulation at the sample size, until the real false-alarm rate is α.
 * `fisher`: Fisher's exact test, at most α by construction (less, being discrete).
 */
export type FixedTest = 'z' | 'z-exact-level' | 'fisher';

/** The pooled two-proportion z statistic; −Infinity when it is undefined (no errors). */
export function zStatistic(nc: number, ec: number, nb: number, eb: number): number {
  if (nc === 0 || nb === 0) return -Infinity;
  const pooled = (ec + eb) / (nc + nb);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / nc + 1 / nb));
  return se > 0 ? (ec / nc - eb / nb) / se : -Infinity;
}

/** P(X ≥ ec) for the canary's errors given the table's margins and equal rates. */
export function fisherUpperTail(nc: number, ec: number, nb: number, eb: number): number {
  const n = ec + eb;
  const high = Math.min(n, nc);
  const terms: number[] = [];
  for (let y = ec; y <= high; y++) terms.push(logChoose(nc, y) + logChoose(nb, n - y));
  return Math.exp(logSumExp(terms) - logChoose(nc + nb, n));
}

interface Sampling {
  readonly requests: number;
  readonly share: number;
  readonly p0: number;
  readonly p1: number;
  readonly runs: number;
  readonly seed: number;
}

function* tables(options: Sampling): Generator<[number, number, number, number]> {
  const random = mulberry32(options.seed);
  const requests = Math.round(options.requests);
  for (let i = 0; i < options.runs; i++) {
    const nc = binomial(random, requests, options.share);
    const nb = requests - nc;
    yield [nc, binomial(random, nc, options.p1), nb, binomial(random, nb, options.p0)];
  }
}

/**
 * The critical value that gives the z-test a real false-alarm rate of at most α at this
 * sample size: the (1 − α) quantile of its statistic over simulated A/A samples.
 */
export function exactLevelCritical(options: Omit<Sampling, 'p1'> & { alpha: number }): number {
  const statistics = [...tables({ ...options, p1: options.p0 })].map((t) => zStatistic(...t));
  statistics.sort((a, b) => a - b);
  // Reject above the value at rank ⌈(1 − α)·runs⌉: at most α·runs of the samples exceed it.
  return statistics[
    Math.min(statistics.length - 1, Math.ceil((1 - options.alpha) * options.runs) - 1)
  ]!;
}

/**
 * Share of `runs` simulated samples of `requests` requests (each to the canary with
 * probability `share`) in which the fixed test rejects: its power when p1 > p0, its
 * false-alarm rate when p1 = p0. Seeded.
 */
export function fixedTestRejectionRate(
  test: FixedTest,
  options: Sampling & { readonly alpha: number },
): number {
  const critical =
    test === 'z-exact-level'
      ? exactLevelCritical({
          ...options,
          runs: Math.max(options.runs, 20_000),
          seed: options.seed + 1,
        })
      : normalQuantile(1 - options.alpha);
  let rejections = 0;
  for (const [nc, ec, nb, eb] of tables(options)) {
    const rejects =
      test === 'fisher'
        ? nc > 0 && nb > 0 && fisherUpperTail(nc, ec, nb, eb) <= options.alpha
        : zStatistic(nc, ec, nb, eb) > critical;
    if (rejects) rejections += 1;
  }
  return rejections / options.runs;
}

/**
 * The smallest sample (to `step` requests) at which the fixed test's simulated power
 * reaches `power`: for the tests that have no closed-form size. Bisection on
 * the same seed at every size, so the power curve it walks is monotone up to noise.
 */
export function fixedTestRequestsFor(
  test: FixedTest,
  options: Omit<Sampling, 'requests'> & {
    readonly alpha: number;
    readonly power: number;
    readonly step: number;
  },
): number {
  const powerAt = (requests: number) =>
    fixedTestRejectionRate(test, { ...options, requests, seed: options.seed });
  let low = options.step;
  let high = options.step;
  while (powerAt(high) < options.power) [low, high] = [high, high * 2];
  while (high - low > options.step) {
    const mid = Math.round((low + high) / 2 / options.step) * options.step;
    if (mid <= low || mid >= high) break;
    if (powerAt(mid) >= options.power) high = mid;
    else low = mid;
  }
  return high;
}
