import {
  windowLikelihood,
  windowLogRatio,
  type CountsWindow,
} from './noncentral-hypergeometric.js';

/*
 * Wald's sequential probability ratio test on the odds ratio ψ of the canary's error rate to
 * the baseline's: H0 ψ = ψ0 (the degradation tolerated) against H1 ψ = ψ1 (the smallest
 * degradation that must be caught). A. Wald, "Sequential tests of statistical hypotheses",
 * Ann. Math. Stat. 16, 1945; A. Wald & J. Wolfowitz, "Optimum character of the sequential
 * probability ratio test", Ann. Math. Stat. 19, 1948: among all tests with the same two
 * error rates, none needs fewer observations on average at ψ0 or at ψ1.
 *
 * Each window contributes its exact conditional likelihood ratio (Fisher's noncentral
 * hypergeometric, see noncentral-hypergeometric.ts), so the baseline's own error rate and
 * the traffic split drop out, and the boundaries are checked after every window.
 *
 * The boundaries are Ville's rather than Wald's approximations, so both guarantees are
 * exact bounds rather than approximations, whatever the overshoot and however the run is
 * cut short. Under ψ0 the likelihood ratio L is a nonnegative martingale, and under any
 * ψ ≤ ψ0 — even one that changes from window to window — a supermartingale, because the
 * family has a monotone likelihood ratio in ψ. So P(L ever ≥ 1/α) ≤ α: the canary is failed
 * wrongly at most α of the time (J. Ville, "Étude critique de la notion de collectif",
 * 1939). Symmetrically 1/L is a supermartingale under any ψ ≥ ψ1, so P(L ever ≤ β) ≤ β: a
 * degradation of ψ1 or worse is passed at most β = 1 − power of the time.
 */

export interface SprtEvidence {
  /** ln of the likelihood ratio ψ1 : ψ0 over every window so far. */
  readonly logRatio: number;
}

export interface SprtBoundaries {
  /** Fail when the ln likelihood ratio reaches this: ln(1/α). */
  readonly fail: number;
  /** Pass when it falls to this: ln(1 − power). */
  readonly pass: number;
}

export function sprtBoundaries(alpha: number, power: number): SprtBoundaries {
  return { fail: Math.log(1 / alpha), pass: Math.log(1 - power) };
}

export const EMPTY_SPRT_EVIDENCE: SprtEvidence = { logRatio: 0 };

/** Adds one window's counts; θ0 = ln ψ0 and θ1 = ln ψ1 with ψ1 > ψ0. */
export function updateSprtEvidence(
  evidence: SprtEvidence,
  window: CountsWindow,
  logPsi0: number,
  logPsi1: number,
): SprtEvidence {
  const likelihood = windowLikelihood(window);
  if (!likelihood) return evidence;
  return { logRatio: evidence.logRatio + windowLogRatio(likelihood, logPsi1, logPsi0) };
}
