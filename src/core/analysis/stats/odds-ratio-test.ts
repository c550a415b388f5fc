import { logSumExp } from './log-math.js';
import {
  windowLikelihood,
  windowLogRatio,
  type CountsWindow,
} from './noncentral-hypergeometric.js';

export type { CountsWindow } from './noncentral-hypergeometric.js';

/*
 * A sequential test on the ratio of two error rates, valid however often it is looked at.
 *
 * In each measurement window the canary answered `canaryRequests` requests with
 * `canaryErrors` errors and the baseline `baselineRequests` with `baselineErrors`. Given the
 * window's margins (both request counts and the total number of errors n), the number of
 * canary errors follows Fisher's noncentral hypergeometric distribution with parameter ψ,
 * the odds ratio of the two error rates — exactly, whatever the baseline's own error rate
 * (R. A. Fisher, "On the interpretation of χ² from contingency tables", J. R. Stat. Soc. 85,
 * 1922; the conditional argument as in Lindon & Malek, "Anytime-valid inference for
 * multinomial count data", NeurIPS 2022, and Lindon, Sanden & Shirikian, "Rapid regression
 * detection in software deployments through sequential testing", KDD 2022).
 *
 * The product over windows of the conditional likelihood ratio ψ : ψ0, mixed over a fixed
 * grid of alternatives (H. Robbins, "Statistical methods related to the law of the iterated
 * logarithm", Ann. Math. Stat. 41, 1970), is a nonnegative martingale under ψ = ψ0 and a
 * supermartingale on the null side (the family has a monotone likelihood ratio). By Ville's
 * inequality (J. Ville, "Étude critique de la notion de collectif", 1939) it ever reaches
 * 1/α with probability at most α: the test may be read after every window and stopped at any
 * time without inflating false alarms (Johari, Koomen, Pekelis & Walsh, "Always valid
 * inference: continuous monitoring of A/B tests", Operations Research 70, 2022).
 *
 * Two such processes run side by side: `up` mixes alternatives above ψ0 (the canary is worse
 * than the margin allows: fail) and `down` alternatives below ψ0 (the canary is within the
 * margin: pass early). Each errs with probability at most α.
 *
 * No installed library does this; it is written here.
 */

/**
 * Offsets from ln ψ0 towards worse canaries, mixed with equal weights: ψ/ψ0 from 1.2 to
 * about 17. Few points keep the price of not knowing the effect small (ln 6 nats).
 */
export const ODDS_RATIO_GRID: readonly number[] = Array.from(
  { length: 6 },
  (_, i) => 0.2 * 1.7 ** i,
);

/**
 * Offsets towards better canaries: the same grid plus fractions of the margin itself, since
 * a canary exactly as good as its baseline sits ln ψ0 below the null and the pass side
 * needs an alternative near there.
 */
export function passGrid(logPsi0: number): number[] {
  const margin = logPsi0 > 0 ? [0.5, 1, 2].map((k) => k * logPsi0) : [];
  return [...margin, ...ODDS_RATIO_GRID];
}

export interface OddsRatioEvidence {
  /** ln likelihood ratio of ψ0·e^Δ against ψ0, for each Δ of the grid. */
  readonly up: readonly number[];
  /** The same for ψ0·e^−Δ. */
  readonly down: readonly number[];
  /** Largest ln of the mixture seen so far: the always-valid p-value is e^−max. */
  readonly maxLogUp: number;
  readonly maxLogDown: number;
}

export function emptyOddsRatioEvidence(logPsi0: number): OddsRatioEvidence {
  return {
    up: ODDS_RATIO_GRID.map(() => 0),
    down: passGrid(logPsi0).map(() => 0),
    maxLogUp: 0,
    maxLogDown: 0,
  };
}

/** ln of the equally weighted mixture of the grid's likelihood ratios. */
export function mixtureLog(logRatios: readonly number[]): number {
  return logSumExp(logRatios) - Math.log(logRatios.length);
}

/** Adds one window's counts; `logPsi0` is ln of the odds ratio the margin allows. */
export function updateOddsRatioEvidence(
  evidence: OddsRatioEvidence,
  window: CountsWindow,
  logPsi0: number,
): OddsRatioEvidence {
  // No errors, or margins that leave one possible split, carry no information about ψ.
  const likelihood = windowLikelihood(window);
  if (!likelihood) return evidence;
  const step = (offset: number): number => windowLogRatio(likelihood, logPsi0 + offset, logPsi0);

  const up = evidence.up.map((value, i) => value + step(ODDS_RATIO_GRID[i]!));
  const pass = passGrid(logPsi0);
  const down = evidence.down.map((value, i) => value + step(-pass[i]!));
  return {
    up,
    down,
    maxLogUp: Math.max(evidence.maxLogUp, mixtureLog(up)),
    maxLogDown: Math.max(evidence.maxLogDown, mixtureLog(down)),
  };
}
