import { describe, expect, it } from 'vitest';
import { logChoose } from './log-math.js';
import {
  correctedSprtBoundaries,
  EMPTY_SPRT_EVIDENCE,
  overshootFactor,
  sprtBoundaries,
  updateSprtEvidence,
  type SprtEvidence,
} from './sprt-test.js';

/** P(x canary errors | margins) under odds ratio ψ: Fisher's noncentral hypergeometric. */
function fnch(nc: number, nb: number, n: number, psi: number): number[] {
  const weights: number[] = [];
  for (let x = 0; x <= n; x++) {
    weights.push(
      x > nc || n - x > nb ? 0 : Math.exp(logChoose(nc, x) + logChoose(nb, n - x)) * psi ** x,
    );
  }
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((weight) => weight / total);
}

/** E_ψ[L^power] for one window's likelihood ratio L of ψ1 : ψ0. */
function expectedRatio(psi: number, psi0: number, psi1: number, power: 1 | -1): number {
  const [nc, nb, n] = [20, 180, 7];
  const probabilities = fnch(nc, nb, n, psi);
  let expectation = 0;
  for (let x = 0; x <= n; x++) {
    const window = {
      canaryRequests: nc,
      canaryErrors: x,
      baselineRequests: nb,
      baselineErrors: n - x,
    };
    const evidence = updateSprtEvidence(
      EMPTY_SPRT_EVIDENCE,
      window,
      Math.log(psi0),
      Math.log(psi1),
    );
    expectation += probabilities[x]! * Math.exp(power * evidence.logRatio);
  }
  return expectation;
}

describe("Wald's SPRT on the odds ratio", () => {
  it('has a likelihood ratio that is a martingale at ψ0 and a supermartingale below it', () => {
    expect(expectedRatio(1.1, 1.1, 2, 1)).toBeCloseTo(1, 10);
    for (const psi of [0.5, 0.9, 1, 1.09]) {
      expect(expectedRatio(psi, 1.1, 2, 1)).toBeLessThan(1);
    }
  });

  it('has an inverse ratio that is a martingale at ψ1 and a supermartingale above it', () => {
    expect(expectedRatio(2, 1.1, 2, -1)).toBeCloseTo(1, 10);
    for (const psi of [2.1, 3, 10]) expect(expectedRatio(psi, 1.1, 2, -1)).toBeLessThan(1);
  });

  it('fails at 1/α and passes at 1 − power: exact bounds by Ville’s inequality', () => {
    const { fail, pass } = sprtBoundaries(0.01, 0.9);
    expect(Math.exp(fail)).toBeCloseTo(100, 10);
    expect(Math.exp(pass)).toBeCloseTo(0.1, 10);
  });

  it('learns nothing from windows without errors or without one side', () => {
    const none = { canaryRequests: 50, canaryErrors: 0, baselineRequests: 500, baselineErrors: 0 };
    expect(updateSprtEvidence(EMPTY_SPRT_EVIDENCE, none, 0, Math.log(2))).toBe(EMPTY_SPRT_EVIDENCE);
    const oneSide = { canaryRequests: 50, canaryErrors: 5, baselineRequests: 0, baselineErrors: 0 };
    expect(updateSprtEvidence(EMPTY_SPRT_EVIDENCE, oneSide, 0, Math.log(2))).toBe(
      EMPTY_SPRT_EVIDENCE,
    );
  });

  it('adds up windows: a canary failing 20 % next to 1 % crosses 1/α in a few windows', () => {
    let evidence: SprtEvidence = EMPTY_SPRT_EVIDENCE;
    const window = {
      canaryRequests: 50,
      canaryErrors: 10,
      baselineRequests: 450,
      baselineErrors: 4,
    };
    evidence = updateSprtEvidence(evidence, window, 0, Math.log(2));
    const one = evidence.logRatio;
    evidence = updateSprtEvidence(evidence, window, 0, Math.log(2));
    expect(evidence.logRatio).toBeCloseTo(2 * one, 12);
    expect(evidence.logRatio).toBeGreaterThan(sprtBoundaries(0.01, 0.9).fail);
  });
});

describe('SPRT boundaries corrected for the overshoot', () => {
  // 10 % of the traffic to the canary, 1 % errors, 180 baseline requests a window; ψ 1 vs 2.
  const context = { canaryShare: 0.1, baselineErrorRate: 0.01, baselineRequests: 180 };
  const theta1 = Math.log(2);

  it('takes E[e^{−R}] of an overshoot uniform on [0, d): (1 − e^{−d}) / d', () => {
    for (const d of [0.05, 0.6, 2]) {
      // Midpoint rule over [0, d).
      const steps = 100_000;
      let integral = 0;
      for (let i = 0; i < steps; i++) integral += Math.exp(-((i + 0.5) * d) / steps) / steps;
      expect(overshootFactor(d)).toBeCloseTo(integral, 8);
    }
    expect(overshootFactor(0)).toBe(1);
    expect(overshootFactor(-1)).toBe(1);
  });

  it('measures the jumps on the conditional likelihood: one canary error, one baseline error', () => {
    const { upJump, downJump } = correctedSprtBoundaries(0.01, 0.9, 0, theta1, context);
    // π(ψ) = s·r / (s·r + 1 − s), r = ψ / (1 − p + ψ·p): the chance an error is the canary's.
    const pi = (psi: number) => {
      const r = psi / (0.99 + psi * 0.01);
      return (0.1 * r) / (0.1 * r + 0.9);
    };
    const down = Math.log((1 - pi(1)) / (1 - pi(2)));
    expect(downJump).toBeCloseTo(down, 12);
    // Net of the 1.8 baseline errors an average window carries with the canary error.
    expect(upJump).toBeCloseTo(Math.log(pi(2) / pi(1)) - 1.8 * down, 12);
    // Their difference for a single error is ln(ψ1 / ψ0), as in the conditional likelihood.
    expect(Math.log(pi(2) / pi(1)) + down).toBeCloseTo(
      Math.log((pi(2) / (1 - pi(2))) * ((1 - pi(1)) / pi(1))),
      12,
    );
    expect(upJump).toBeGreaterThan(0.4);
    expect(upJump).toBeLessThan(0.45);
  });

  it('fails at Wald’s (1 − β)/α lowered by the overshoot, passes at Ville’s 1 − power', () => {
    const corrected = correctedSprtBoundaries(0.01, 0.9, 0, theta1, context);
    expect(corrected.fail).toBeCloseTo(
      Math.log(0.9 / 0.01) + Math.log(overshootFactor(corrected.upJump / 2)),
      12,
    );
    const exact = sprtBoundaries(0.01, 0.9);
    expect(corrected.pass).toBe(exact.pass);
    // About 0.21 nats below Ville's ln 100 to fail: a likelihood ratio of 81.
    expect(exact.fail - corrected.fail).toBeGreaterThan(0.2);
    expect(exact.fail - corrected.fail).toBeLessThan(0.25);
    expect(Math.round(Math.exp(corrected.fail))).toBe(81);
  });

  it('corrects more where a canary error weighs more: a smaller canary share, a larger detect', () => {
    const at = (share: number, detect: number) =>
      correctedSprtBoundaries(0.01, 0.9, 0, Math.log(1 + detect), {
        ...context,
        canaryShare: share,
      }).fail;
    expect(at(0.05, 1)).toBeLessThan(at(0.1, 1));
    expect(at(0.1, 1)).toBeLessThan(at(0.5, 1));
    expect(at(0.1, 2)).toBeLessThan(at(0.1, 1));
  });

  it('counts the baseline errors that share the window against the overshoot', () => {
    const quiet = correctedSprtBoundaries(0.01, 0.9, 0, theta1, {
      ...context,
      baselineRequests: 0,
    });
    const busy = correctedSprtBoundaries(0.01, 0.9, 0, theta1, context);
    expect(busy.upJump).toBeLessThan(quiet.upJump);
    expect(busy.fail).toBeGreaterThan(quiet.fail);
    // So many that a window with a canary error may not rise at all: no correction left.
    const flood = correctedSprtBoundaries(0.01, 0.9, 0, theta1, {
      canaryShare: 0.5,
      baselineErrorRate: 0.05,
      baselineRequests: 100,
    });
    expect(flood.upJump).toBeLessThan(0);
    expect(flood.fail).toBeCloseTo(Math.log(0.9 / 0.01), 12);
  });

  it('falls back to Wald’s boundaries before any traffic, and never takes more than half', () => {
    const none = correctedSprtBoundaries(0.01, 0.9, 0, theta1, {
      canaryShare: Number.NaN,
      baselineErrorRate: Number.NaN,
      baselineRequests: 0,
    });
    expect(none.fail).toBeCloseTo(Math.log(90), 12);
    expect(none.pass).toBeCloseTo(Math.log(0.1), 12);
    // A huge detect at a tiny share: jumps of several nats would eat the boundary whole.
    const extreme = correctedSprtBoundaries(0.4, 0.5, 0, Math.log(1_000), {
      canaryShare: 0.001,
      baselineErrorRate: 0,
      baselineRequests: 0,
    });
    expect(extreme.fail).toBeCloseTo(Math.log(0.5 / 0.4) / 2, 12);
    expect(extreme.fail).toBeGreaterThan(0);
  });
});
