import { logSumExp } from './log-math.js';

/*
 * A sequential rank-sum (Mann–Whitney) test on latency histograms, valid under continuous
 * monitoring.
 *
 * In each window both sides' requests fall into the same ordered latency buckets. Each
 * bucket gets its pooled mid-rank as a fraction of the window's requests (its "ridit",
 * I. D. J. Bross, "How to use ridit analysis", Biometrics 14, 1958), centred on ½; the
 * statistic S is the sum of the canary's centred ridits, the Mann–Whitney U up to an affine
 * map (H. B. Mann & D. R. Whitney, Ann. Math. Stat. 18, 1947), ties handled by mid-ranks.
 *
 * When both versions answer alike, the canary's requests are a uniformly random subset of
 * the window's pooled requests. By W. Hoeffding ("Probability inequalities for sums of
 * bounded random variables", JASA 58, 1963, Theorem 4) a sum drawn without replacement is
 * dominated in the convex order by one drawn with replacement, so for any fixed λ
 *
 *     E[exp(λ S)] ≤ (mean over the pool of exp(λ u))^m
 *
 * with m the smaller side's count (S is minus the larger side's sum, so either side can be
 * the one drawn). exp(λS) divided by that bound is therefore an e-value; multiplied over
 * windows and mixed over a grid of λ it is a nonnegative supermartingale, and Ville's
 * inequality bounds the chance that it ever reaches 1/α by α. With continuous latencies the
 * rank sum is stochastically smaller when the canary is faster (E. L. Lehmann, "Consistency
 * and unbiasedness of certain nonparametric tests", Ann. Math. Stat. 22, 1951), so the test
 * stays valid on that side of the null; with tied buckets this holds approximately.
 *
 * `up` (λ > 0) gathers evidence that the canary is slower, `down` (λ < 0) that it is faster.
 * No installed library does this; it is written here.
 */

/** Values of λ per request on the ridit scale, mixed with equal weights. */
export const RANK_GRID: readonly number[] = [0.25, 0.5, 1, 2, 4, 8, 16];

export interface RankEvidence {
  readonly up: readonly number[];
  readonly down: readonly number[];
  readonly maxLogUp: number;
  readonly maxLogDown: number;
}

export function emptyRankEvidence(): RankEvidence {
  const zeros = RANK_GRID.map(() => 0);
  return { up: zeros, down: zeros, maxLogUp: 0, maxLogDown: 0 };
}

/** ln of the equally weighted mixture over the grid. */
export function rankMixtureLog(values: readonly number[]): number {
  return logSumExp(values) - Math.log(values.length);
}

/**
 * Adds one window: per-bucket request counts of each side over the same ordered buckets
 * (fastest first).
 */
export function updateRankEvidence(
  evidence: RankEvidence,
  canary: readonly number[],
  baseline: readonly number[],
): RankEvidence {
  if (canary.length !== baseline.length) {
    throw new RangeError('canary and baseline histograms need the same buckets');
  }
  let nc = 0;
  let nb = 0;
  for (let j = 0; j < canary.length; j++) {
    nc += canary[j]!;
    nb += baseline[j]!;
  }
  const total = nc + nb;
  if (nc === 0 || nb === 0) return evidence;

  const centred: number[] = [];
  const pooled: number[] = [];
  let below = 0;
  let statistic = 0;
  for (let j = 0; j < canary.length; j++) {
    const count = canary[j]! + baseline[j]!;
    const ridit = (below + count / 2) / total;
    below += count;
    centred.push(ridit - 0.5);
    pooled.push(count);
    statistic += canary[j]! * (ridit - 0.5);
  }
  // The smaller side is the one drawn; if it is the baseline the canary's sum is minus its own.
  const drawn = Math.min(nc, nb);
  const sign = nc <= nb ? 1 : -1;
  const logMgf = (lambda: number): number => {
    const terms: number[] = [];
    for (let j = 0; j < pooled.length; j++) {
      if (pooled[j]! > 0) terms.push(Math.log(pooled[j]!) + sign * lambda * centred[j]!);
    }
    return logSumExp(terms) - Math.log(total);
  };
  const step = (lambda: number): number => lambda * statistic - drawn * logMgf(lambda);

  const up = evidence.up.map((value, i) => value + step(RANK_GRID[i]!));
  const down = evidence.down.map((value, i) => value + step(-RANK_GRID[i]!));
  return {
    up,
    down,
    maxLogUp: Math.max(evidence.maxLogUp, rankMixtureLog(up)),
    maxLogDown: Math.max(evidence.maxLogDown, rankMixtureLog(down)),
  };
}
