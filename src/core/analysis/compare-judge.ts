import type { CompareConfig } from './analysis-config.js';
import { formatCount, formatP, formatPercent, formatSeconds } from './analysis-words.js';
import { addHistograms, alignHistograms, histogramQuantile, scaleHistogram } from './histogram.js';
import type { LatencyHistogram, SideWindow } from './metrics-source.js';
import {
  emptyOddsRatioEvidence,
  updateOddsRatioEvidence,
  type OddsRatioEvidence,
} from './stats/odds-ratio-test.js';
import { emptyRankEvidence, updateRankEvidence, type RankEvidence } from './stats/rank-test.js';

/**
 * The comparative judge: canary against baseline over the same windows, with no threshold
 * to pick — only the degradation tolerated and the false-alarm rate. Error rates go through
 * the sequential odds-ratio test, latencies through the sequential rank test; each says
 * `failed` (worse than the margin, with at most α chance of a false alarm), `passed`
 * (within the margin, with at most α chance of missing a degradation) or `continue`.
 */
export type CompareStatus = 'continue' | 'failed' | 'passed';

export interface Tally {
  readonly requests: number;
  readonly errors: number;
}

export interface ErrorRateComparison {
  readonly evidence: OddsRatioEvidence;
  readonly canary: Tally;
  readonly stable: Tally;
  readonly status: CompareStatus;
}

export interface LatencyComparison {
  readonly evidence: RankEvidence;
  /** All windows' buckets added up, unscaled: for the quantiles in the sentence. */
  readonly canary?: LatencyHistogram;
  readonly stable?: LatencyHistogram;
  readonly status: CompareStatus;
}

export interface CompareState {
  readonly errorRate?: ErrorRateComparison;
  readonly latency?: LatencyComparison;
}

const EMPTY_TALLY: Tally = { requests: 0, errors: 0 };

export function initialCompareState(config: CompareConfig): CompareState {
  return {
    ...(config.errorRate
      ? {
          errorRate: {
            evidence: emptyOddsRatioEvidence(Math.log(1 + config.maxDegradation)),
            canary: EMPTY_TALLY,
            stable: EMPTY_TALLY,
            status: 'continue',
          },
        }
      : {}),
    ...(config.latency ? { latency: { evidence: emptyRankEvidence(), status: 'continue' } } : {}),
  };
}

/** Adds one pair of windows covering the same span; `minRequests` gates a pass. */
export function updateCompare(
  config: CompareConfig,
  state: CompareState,
  canary: SideWindow,
  stable: SideWindow,
  minRequests: number,
): CompareState {
  const threshold = Math.log(1 / config.alpha);
  let { errorRate, latency } = state;
  if (errorRate) {
    const evidence = updateOddsRatioEvidence(
      errorRate.evidence,
      {
        canaryRequests: canary.requests,
        canaryErrors: canary.errors,
        baselineRequests: stable.requests,
        baselineErrors: stable.errors,
      },
      Math.log(1 + config.maxDegradation),
    );
    const canaryTally = add(errorRate.canary, canary);
    const stableTally = add(errorRate.stable, stable);
    const enough = canaryTally.requests >= minRequests && stableTally.requests >= minRequests;
    errorRate = {
      evidence,
      canary: canaryTally,
      stable: stableTally,
      status: statusOf(evidence, threshold, enough),
    };
  }
  if (latency) {
    const canaryHistogram = canary.latency?.histogram;
    const stableHistogram = stable.latency?.histogram;
    if (canaryHistogram && stableHistogram) {
      const [c, s] = alignHistograms(canaryHistogram, stableHistogram);
      // The margin: the canary's latencies shrunk by 1 + maxDegradation before ranking.
      const scaled = scaleHistogram(c, 1 / (1 + config.maxDegradation));
      const evidence = updateRankEvidence(latency.evidence, scaled.counts, s.counts);
      const canaryTotal = latency.canary ? addHistograms(latency.canary, c) : c;
      const stableTotal = latency.stable ? addHistograms(latency.stable, s) : s;
      const enough = total(canaryTotal) >= minRequests && total(stableTotal) >= minRequests;
      latency = {
        evidence,
        canary: canaryTotal,
        stable: stableTotal,
        status: statusOf(evidence, threshold, enough),
      };
    }
  }
  return { ...(errorRate ? { errorRate } : {}), ...(latency ? { latency } : {}) };
}

function statusOf(
  evidence: { readonly maxLogUp: number; readonly maxLogDown: number },
  threshold: number,
  enough: boolean,
): CompareStatus {
  // A canary both proven worse and proven fine (chance ≤ 2α) fails: safety first.
  if (evidence.maxLogUp >= threshold) return 'failed';
  if (enough && evidence.maxLogDown >= threshold) return 'passed';
  return 'continue';
}

/** Whether every compared metric has enough requests on both sides to conclude at a deadline. */
export function compareHasEnoughData(state: CompareState, minRequests: number): boolean {
  const errorsOk =
    !state.errorRate ||
    (state.errorRate.canary.requests >= minRequests &&
      state.errorRate.stable.requests >= minRequests);
  const latencyOk =
    !state.latency ||
    (state.latency.canary !== undefined &&
      state.latency.stable !== undefined &&
      total(state.latency.canary) >= minRequests &&
      total(state.latency.stable) >= minRequests);
  return errorsOk && latencyOk;
}

export function describeErrorRate(comparison: ErrorRateComparison, config: CompareConfig): string {
  const { canary, stable, evidence } = comparison;
  const rates =
    `canary 5xx ${ratio(canary)} vs baseline ${ratio(stable)}, ` +
    `${formatCount(canary.requests)} canary requests`;
  switch (comparison.status) {
    case 'failed':
      return `${rates}, ${formatP(Math.exp(-evidence.maxLogUp))}: ${worse('worse', config)}`;
    case 'passed':
      return `${rates}: ${within(config)}, ${formatP(Math.exp(-evidence.maxLogDown))}`;
    default:
      return `${rates}, no degradation shown (${formatP(Math.exp(-evidence.maxLogUp))})`;
  }
}

export function describeLatency(comparison: LatencyComparison, config: CompareConfig): string {
  const { canary, stable, evidence } = comparison;
  if (!canary || !stable) return 'latency: no histogram from both sides yet';
  const quantiles = (histogram: LatencyHistogram): string => {
    const p50 = histogramQuantile(0.5, histogram);
    const p95 = histogramQuantile(0.95, histogram);
    return p50 === undefined || p95 === undefined
      ? 'no requests'
      : `p50 ${formatSeconds(p50)}, p95 ${formatSeconds(p95)}`;
  };
  const lead =
    `canary latency ${quantiles(canary)} vs baseline ${quantiles(stable)}, ` +
    `${formatCount(total(canary))} canary requests`;
  switch (comparison.status) {
    case 'failed':
      return `${lead}, ${formatP(Math.exp(-evidence.maxLogUp))}: ${worse('slower', config)}`;
    case 'passed':
      return `${lead}: ${within(config)}, ${formatP(Math.exp(-evidence.maxLogDown))}`;
    default:
      return `${lead}, no slowdown shown (${formatP(Math.exp(-evidence.maxLogUp))})`;
  }
}

function margin(config: CompareConfig): string {
  const percent = config.maxDegradation * 100;
  return `${Number.isInteger(percent) ? percent : percent.toFixed(1)} %`;
}

function worse(adjective: string, config: CompareConfig): string {
  return config.maxDegradation > 0
    ? `${adjective} than baseline by more than the ${margin(config)} allowed`
    : `${adjective} than baseline`;
}

function within(config: CompareConfig): string {
  return config.maxDegradation > 0
    ? `within ${margin(config)} of baseline`
    : 'no worse than baseline';
}

function ratio(tally: Tally): string {
  return tally.requests === 0 ? 'n/a' : formatPercent(tally.errors / tally.requests);
}

function add(tally: Tally, window: SideWindow): Tally {
  return { requests: tally.requests + window.requests, errors: tally.errors + window.errors };
}

function total(histogram: LatencyHistogram): number {
  return histogram.counts.reduce((sum, count) => sum + count, 0);
}
