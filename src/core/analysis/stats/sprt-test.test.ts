import { describe, expect, it } from 'vitest';
import { logChoose } from './log-math.js';
import {
  EMPTY_SPRT_EVIDENCE,
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
