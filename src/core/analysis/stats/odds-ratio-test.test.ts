import { describe, expect, it } from 'vitest';
import { logChoose } from './log-math.js';
import {
  ODDS_RATIO_GRID,
  emptyOddsRatioEvidence,
  mixtureLog,
  updateOddsRatioEvidence,
} from './odds-ratio-test.js';

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

describe('sequential odds-ratio test', () => {
  it('has a likelihood ratio whose expectation under the null is exactly 1 (a martingale step)', () => {
    const logPsi0 = Math.log(1.1);
    const [nc, nb, n] = [40, 160, 9];
    const null0 = fnch(nc, nb, n, 1.1);
    for (const side of ['up', 'down'] as const) {
      for (let g = 0; g < ODDS_RATIO_GRID.length; g++) {
        let expectation = 0;
        for (let x = 0; x <= n; x++) {
          const window = {
            canaryRequests: nc,
            canaryErrors: x,
            baselineRequests: nb,
            baselineErrors: n - x,
          };
          const evidence = updateOddsRatioEvidence(
            emptyOddsRatioEvidence(logPsi0),
            window,
            logPsi0,
          );
          expectation += null0[x]! * Math.exp(evidence[side][g]!);
        }
        expect(expectation).toBeCloseTo(1, 10);
      }
    }
  });

  it('learns nothing from windows without errors or without one side', () => {
    const empty = emptyOddsRatioEvidence(0);
    const none = { canaryRequests: 50, canaryErrors: 0, baselineRequests: 500, baselineErrors: 0 };
    expect(updateOddsRatioEvidence(empty, none, 0)).toBe(empty);
    const oneSide = { canaryRequests: 50, canaryErrors: 5, baselineRequests: 0, baselineErrors: 0 };
    expect(updateOddsRatioEvidence(empty, oneSide, 0)).toBe(empty);
  });

  it('piles up evidence against a canary failing 20 % next to a baseline failing 1 %', () => {
    let evidence = emptyOddsRatioEvidence(Math.log(1.1));
    for (let k = 0; k < 3; k++) {
      const window = {
        canaryRequests: 50,
        canaryErrors: 10,
        baselineRequests: 450,
        baselineErrors: 4,
      };
      evidence = updateOddsRatioEvidence(evidence, window, Math.log(1.1));
    }
    expect(evidence.maxLogUp).toBeGreaterThan(Math.log(1000));
    expect(mixtureLog(evidence.down)).toBeLessThan(0);
  });
});
