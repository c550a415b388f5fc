import type { AnalysisConfig } from '../analysis-config.js';
import { advanceAnalysisRun, startAnalysisRun, type Verdict } from '../analysis-run.js';
import type { LatencyWindow, Measurement, SideWindow } from '../metrics-source.js';

/**
 * Synthetic canary traffic for the simulation tests and the benchmark: Poisson arrivals
 * split by weight, Bernoulli errors, log-normal latencies in the sample app's buckets, fed
 * measurement by measurement through the real analysis state machine. Seeded, no clock.
 */
export interface LatencyModel {
  /** Median latency in seconds. */
  readonly medianSeconds: number;
  /** Standard deviation of ln(latency). */
  readonly sigma: number;
}

export interface Scenario {
  readonly requestsPerSecond: number;
  /** Share of requests the canary gets, 0–1. */
  readonly canaryShare: number;
  readonly intervalSeconds: number;
  readonly baselineErrorRate: number;
  readonly canaryErrorRate: number;
  readonly baselineLatency?: LatencyModel;
  readonly canaryLatency?: LatencyModel;
  /** The run is stopped (verdict as it stands) after this many measurements. */
  readonly maxMeasurements: number;
}

export interface SimulatedRun {
  readonly verdict: Verdict;
  /** Measurements taken when the verdict was reached (or the cap). */
  readonly measurements: number;
  readonly canaryRequests: number;
  readonly totalRequests: number;
  readonly summary?: string;
}

/** The sample app's buckets, so simulated histograms look like real ones. */
export const SIMULATION_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

const START = Date.parse('2026-01-01T00:00:00Z');

/** The canary's and the baseline's windows, one pair per measurement, forever. */
export function* simulateWindows(
  scenario: Scenario,
  seed: number,
): Generator<{ readonly canary: SideWindow; readonly stable: SideWindow }> {
  const random = mulberry32(seed);
  for (let k = 1; ; k++) {
    const from = new Date(START + (k - 1) * scenario.intervalSeconds * 1000).toISOString();
    const to = new Date(START + k * scenario.intervalSeconds * 1000).toISOString();
    const arrivals = poisson(random, scenario.requestsPerSecond * scenario.intervalSeconds);
    const nc = binomial(random, arrivals, scenario.canaryShare);
    yield {
      canary: sideWindow(random, from, to, nc, scenario.canaryErrorRate, scenario.canaryLatency),
      stable: sideWindow(
        random,
        from,
        to,
        arrivals - nc,
        scenario.baselineErrorRate,
        scenario.baselineLatency,
      ),
    };
  }
}

export function simulateRun(
  config: AnalysisConfig,
  scenario: Scenario,
  seed: number,
): SimulatedRun {
  return runOnWindows(config, simulateWindows(scenario, seed), scenario.maxMeasurements);
}

/** Feeds windows, one pair per measurement, through the real analysis run until it decides. */
export function runOnWindows(
  config: AnalysisConfig,
  windows: Iterable<{ readonly canary: SideWindow; readonly stable: SideWindow }>,
  maxMeasurements: number,
): SimulatedRun {
  let state = startAnalysisRun(config, new Date(START));
  let canaryRequests = 0;
  let totalRequests = 0;
  let k = 0;
  for (const { canary, stable } of windows) {
    if (++k > maxMeasurements) break;
    canaryRequests += canary.requests;
    totalRequests += canary.requests + stable.requests;
    const measurement: Measurement = {
      at: canary.to,
      canary: { kind: 'window', window: canary },
      stable: { kind: 'window', window: stable },
      queries: {},
    };
    state = advanceAnalysisRun(state, { kind: 'measurement', measurement });
    if (state.verdict !== 'running') {
      return {
        verdict: state.verdict,
        measurements: k,
        canaryRequests,
        totalRequests,
        ...(state.summary ? { summary: state.summary } : {}),
      };
    }
  }
  return {
    verdict: 'running',
    measurements: maxMeasurements,
    canaryRequests,
    totalRequests,
  };
}

function sideWindow(
  random: () => number,
  from: string,
  to: string,
  requests: number,
  errorRate: number,
  latency: LatencyModel | undefined,
): SideWindow {
  const errors = binomial(random, requests, errorRate);
  return {
    from,
    to,
    requests,
    errors,
    ...(latency ? { latency: latencyWindow(random, requests, latency) } : {}),
  };
}

function latencyWindow(random: () => number, requests: number, model: LatencyModel): LatencyWindow {
  const counts = new Array<number>(SIMULATION_BUCKETS.length + 1).fill(0);
  let sum = 0;
  for (let i = 0; i < requests; i++) {
    const seconds = model.medianSeconds * Math.exp(model.sigma * normal(random));
    sum += seconds;
    let bucket = SIMULATION_BUCKETS.findIndex((bound) => seconds <= bound);
    if (bucket === -1) bucket = SIMULATION_BUCKETS.length;
    counts[bucket]! += 1;
  }
  return {
    observations: requests,
    meanSeconds: requests === 0 ? 0 : sum / requests,
    histogram: { bounds: SIMULATION_BUCKETS, counts },
  };
}

/** The mulberry32 generator: the same sequence for the same seed on every machine. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(random: () => number): number {
  // Box–Muller; 1 − u keeps the logarithm finite.
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Poisson by inversion for small means, a rounded normal beyond (arrivals only). */
export function poisson(random: () => number, mean: number): number {
  if (mean > 500) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(random)));
  let k = 0;
  let p = Math.exp(-mean);
  let cumulative = p;
  const u = random();
  while (u > cumulative && k < 10 * mean + 50) {
    k += 1;
    p *= mean / k;
    cumulative += p;
  }
  return k;
}

/**
 * Binomial by inversion (exact) while the expected count of the rarer outcome is small,
 * else a rounded normal: errors are rare, so the error counts the tests see stay exact.
 */
export function binomial(random: () => number, n: number, p: number): number {
  if (n === 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomial(random, n, 1 - p);
  if (n * p > 300) {
    const draw = Math.round(n * p + Math.sqrt(n * p * (1 - p)) * normal(random));
    return Math.min(n, Math.max(0, draw));
  }
  const q = 1 - p;
  const ratio = p / q;
  let k = 0;
  let probability = q ** n;
  let cumulative = probability;
  const u = random();
  while (u > cumulative && k < n) {
    probability *= (ratio * (n - k)) / (k + 1);
    k += 1;
    cumulative += probability;
  }
  return k;
}
