import { logChoose } from './log-math.js';

/*
 * One window's error counts seen as a 2 × 2 table. Given its margins (both request counts
 * and the total number of errors n), the number of canary errors follows Fisher's
 * noncentral hypergeometric distribution with parameter ψ, the odds ratio of the two error
 * rates — exactly, whatever the baseline's own error rate and whatever the traffic split
 * (R. A. Fisher, "On the interpretation of χ² from contingency tables", J. R. Stat. Soc.
 * 85, 1922). Both sequential error-rate tests are built on this conditional likelihood.
 */

export interface CountsWindow {
  readonly canaryRequests: number;
  readonly canaryErrors: number;
  readonly baselineRequests: number;
  readonly baselineErrors: number;
}

export interface WindowLikelihood {
  /** Canary errors in the window. */
  readonly x: number;
  /** ln Σ_y C(nc, y) C(nb, n − y) e^{θy}: x·θ minus this is ln P(x | margins, ψ = e^θ). */
  readonly logNormaliser: (theta: number) => number;
}

/**
 * The window's conditional likelihood, or undefined when its margins leave a single
 * possible split (no errors, a side without requests): such a window says nothing about ψ.
 */
export function windowLikelihood(window: CountsWindow): WindowLikelihood | undefined {
  const { canaryRequests: nc, baselineRequests: nb } = window;
  const x = window.canaryErrors;
  const n = x + window.baselineErrors;
  const low = Math.max(0, n - nb);
  const high = Math.min(n, nc);
  if (n === 0 || nc === 0 || nb === 0 || low >= high) return undefined;

  // ln C(nc, y) + ln C(nb, n − y) for y in [low, high], by the ratio of successive terms.
  const base: number[] = new Array<number>(high - low + 1);
  base[0] = logChoose(nc, low) + logChoose(nb, n - low);
  for (let y = low; y < high; y++) {
    base[y - low + 1] =
      base[y - low]! +
      Math.log(nc - y) -
      Math.log(y + 1) +
      Math.log(n - y) -
      Math.log(nb - n + y + 1);
  }
  const logNormaliser = (theta: number): number => {
    let max = -Infinity;
    for (let i = 0; i < base.length; i++) max = Math.max(max, base[i]! + (low + i) * theta);
    let sum = 0;
    for (let i = 0; i < base.length; i++) sum += Math.exp(base[i]! + (low + i) * theta - max);
    return max + Math.log(sum);
  };
  return { x, logNormaliser };
}

/** ln P(x | ψ1) − ln P(x | ψ0) for one window, with θ = ln ψ. */
export function windowLogRatio(
  likelihood: WindowLikelihood,
  theta1: number,
  theta0: number,
): number {
  return (
    likelihood.x * (theta1 - theta0) -
    (likelihood.logNormaliser(theta1) - likelihood.logNormaliser(theta0))
  );
}
