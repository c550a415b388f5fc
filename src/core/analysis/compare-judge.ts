import type { CompareConfig } from './analysis-config.js';
import { addHistograms, alignHistograms, scaleHistogram } from './histogram.js';
import type { LatencyHistogram, SideWindow } from './metrics-source.js';
import {
  emptyOddsRatioEvidence,
  updateOddsRatioEvidence,
  type OddsRatioEvidence,
} from './stats/odds-ratio-test.js';
import { emptyRankEvidence, updateRankEvidence, type RankEvidence } from './stats/rank-test.js';
import {
  correctedSprtBoundaries,
  EMPTY_SPRT_EVIDENCE,
  sprtBoundaries,
  updateSprtEvidence,
  type SprtBoundaries,
  type SprtEvidence,
} from './stats/sprt-test.js';

/**
 * The comparative judge: canary against baseline over the same windows, with no threshold
 * to pick — only the degradation tolerated and the false-alarm rate. Error rates go through
 * the sequential odds-ratio test (or, with `test: sprt`, Wald's SPRT), latencies through the
 * sequential rank test; each says `failed` (worse than the margin, with at most α chance of
 * a false alarm), `passed` (within the margin, with at most α chance of missing a
 * degradation — for the SPRT: no degradation of `detect`, with at most 1 − power chance of
 * missing one) or `continue`.
 */
export type CompareStatus = 'continue' | 'failed' | 'passed';

export interface Tally {
  readonly requests: number;
  readonly errors: number;
}

interface ErrorRateTallies {
  readonly canary: Tally;
  readonly stable: Tally;
  readonly status: CompareStatus;
}

/** The always-valid mixture's evidence (the default test). */
export interface MixtureErrorRate extends ErrorRateTallies {
  readonly evidence: OddsRatioEvidence;
  readonly sprt?: undefined;
}

/** Wald's SPRT's evidence (`test: sprt`). */
export interface SprtErrorRate extends ErrorRateTallies {
  readonly sprt: SprtEvidence;
  /** The boundaries the last window was judged against (they move when corrected). */
  readonly boundaries?: SprtBoundaries;
  readonly evidence?: undefined;
}

export type ErrorRateComparison = MixtureErrorRate | SprtErrorRate;

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
            ...(config.sprt
              ? { sprt: EMPTY_SPRT_EVIDENCE }
              : { evidence: emptyOddsRatioEvidence(Math.log(1 + config.maxDegradation)) }),
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
    const counts = {
      canaryRequests: canary.requests,
      canaryErrors: canary.errors,
      baselineRequests: stable.requests,
      baselineErrors: stable.errors,
    };
    const canaryTally = add(errorRate.canary, canary);
    const stableTally = add(errorRate.stable, stable);
    const enough = canaryTally.requests >= minRequests && stableTally.requests >= minRequests;
    const tallies = { canary: canaryTally, stable: stableTally };
    const logPsi0 = Math.log(1 + config.maxDegradation);
    if (errorRate.sprt && config.sprt) {
      const logPsi1 = Math.log(1 + config.sprt.detect);
      const sprt = updateSprtEvidence(errorRate.sprt, counts, logPsi0, logPsi1);
      const { fail, pass } =
        config.sprt.boundaries === 'corrected'
          ? correctedSprtBoundaries(config.alpha, config.sprt.power, logPsi0, logPsi1, {
              canaryShare: canaryTally.requests / (canaryTally.requests + stableTally.requests),
              baselineErrorRate: stableTally.errors / stableTally.requests,
              baselineRequests: stable.requests,
            })
          : sprtBoundaries(config.alpha, config.sprt.power);
      const boundaries = { fail, pass };
      errorRate = {
        sprt,
        boundaries,
        ...tallies,
        status: statusOf(
          { maxLogUp: sprt.logRatio, maxLogDown: -sprt.logRatio },
          { up: boundaries.fail, down: -boundaries.pass },
          enough,
        ),
      };
    } else if (errorRate.evidence) {
      const evidence = updateOddsRatioEvidence(errorRate.evidence, counts, logPsi0);
      errorRate = {
        evidence,
        ...tallies,
        status: statusOf(evidence, { up: threshold, down: threshold }, enough),
      };
    }
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
        status: statusOf(evidence, { up: threshold, down: threshold }, enough),
      };
    }
  }
  return { ...(errorRate ? { errorRate } : {}), ...(latency ? { latency } : {}) };
}

function statusOf(
  evidence: { readonly maxLogUp: number; readonly maxLogDown: number },
  threshold: { readonly up: number; readonly down: number },
  enough: boolean,
): CompareStatus {
  // A canary both proven worse and proven fine (chance ≤ 2α) fails: safety first.
  if (evidence.maxLogUp >= threshold.up) return 'failed';
  if (enough && evidence.maxLogDown >= threshold.down) return 'passed';
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

function add(tally: Tally, window: SideWindow): Tally {
  return { requests: tally.requests + window.requests, errors: tally.errors + window.errors };
}

function total(histogram: LatencyHistogram): number {
  return histogram.counts.reduce((sum, count) => sum + count, 0);
}
