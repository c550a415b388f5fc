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

/**
 * Which boundaries the SPRT uses: `exact` are Ville's (both error rates bounded whatever
 * happens); `corrected` fails at Wald's (1 − β)/α with Siegmund's correction for the
 * overshoot, so the real false-alarm rate comes close to α instead of well below it — an
 * approximation, checked by simulation rather than proven — and passes at Ville's 1 − power.
 */
export type SprtBoundaryKind = 'exact' | 'corrected';

/** What the overshoot depends on, from the counts the judge has seen so far. */
export interface OvershootContext {
  /** The canary's share of all requests so far, 0–1. */
  readonly canaryShare: number;
  /** The baseline's error rate so far, 0–1. */
  readonly baselineErrorRate: number;
  /** Baseline requests in the window being judged. */
  readonly baselineRequests: number;
}

export interface CorrectedSprtBoundaries extends SprtBoundaries {
  /** ln-ratio jump of a window with one canary error, net of its baseline errors. */
  readonly upJump: number;
  /** ln-ratio fall caused by one baseline error (the pass boundary does not use it). */
  readonly downJump: number;
}

/**
 * Overshoot-corrected boundaries. Errors come whole: each canary error lifts the ln
 * likelihood ratio by a jump d, so the test stops past its boundary, and the evidence
 * beyond it is spent for nothing. By the change of measure from ψ0 to ψ1, exactly,
 *
 *   P_ψ0(fail) = e^{−A} · E_ψ1[e^{−R}; fail],   R = the overshoot past A,
 *
 * and once the walk has forgotten its start, the overshoot over a boundary crossed by jumps
 * of one size d is about uniform on [0, d) (D. Siegmund, "Sequential analysis", Springer
 * 1985, ch. 8), so E[e^{−R}] ≈ (1 − e^{−d}) / d. Setting P_ψ0(fail) = α gives
 * A = ln(power / α) + ln((1 − e^{−d}) / d): Wald's (1 − β)/α, lowered by the overshoot.
 *
 * The jump comes from the conditional likelihood: an error is the canary's with
 * probability π(ψ) = s·r / (s·r + 1 − s), s the canary's share of the requests, r its error
 * rate over the baseline's (odds ψ at the baseline's rate p: r = ψ / (1 − p + ψ·p)). A
 * canary error adds ln(π1 / π0); a baseline error takes off ln((1 − π0) / (1 − π1)).
 *
 * Everything is taken on the side of fewer false alarms. The jump is net of the baseline
 * errors an average window carries alongside the canary error (they arrive in the same
 * measurement and shrink the overshoot), and the overshoot is taken as half the jump,
 * uniform on [0, d/2): the test crosses after a handful of jumps, from a start on the
 * lattice they span, before the limit law holds — with the full jump, false alarms reached
 * 1.09 % for α = 1 % on sparse traffic (50 requests/s, 5 % to the canary, 0.2 % errors).
 * No correction takes away more than half of Wald's boundary.
 *
 * The pass boundary stays Ville's 1 − power: its overshoot is small (baseline errors pull
 * the ratio down in small steps), so the exact bound on a wrong pass costs little.
 */
export function correctedSprtBoundaries(
  alpha: number,
  power: number,
  logPsi0: number,
  logPsi1: number,
  context: OvershootContext,
): CorrectedSprtBoundaries {
  const { upJump, downJump } = sprtJumps(logPsi0, logPsi1, context);
  const waldFail = Math.log(power / alpha);
  return {
    fail: waldFail + Math.max(Math.log(overshootFactor(upJump / 2)), -waldFail / 2),
    pass: Math.log(1 - power),
    upJump,
    downJump,
  };
}

/** E[e^{−R}] for an overshoot R uniform on [0, d): (1 − e^{−d}) / d, 1 when d ≤ 0. */
export function overshootFactor(jump: number): number {
  if (!(jump > 1e-9)) return 1;
  return -Math.expm1(-jump) / jump;
}

function sprtJumps(
  logPsi0: number,
  logPsi1: number,
  context: OvershootContext,
): { upJump: number; downJump: number } {
  const s = context.canaryShare;
  const p = Number.isFinite(context.baselineErrorRate)
    ? Math.min(Math.max(context.baselineErrorRate, 0), 1 - 1e-9)
    : 0;
  if (!(s > 0 && s < 1)) return { upJump: 0, downJump: 0 };
  const share = (logPsi: number): number => {
    const psi = Math.exp(logPsi);
    const r = psi / (1 - p + psi * p);
    return (s * r) / (s * r + 1 - s);
  };
  const [pi0, pi1] = [share(logPsi0), share(logPsi1)];
  const up = Math.log(pi1 / pi0);
  const down = Math.log((1 - pi0) / (1 - pi1));
  const baselineErrors = Math.max(0, context.baselineRequests) * p;
  return { upJump: up - down * baselineErrors, downJump: down };
}
