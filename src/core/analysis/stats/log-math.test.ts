import { describe, expect, it } from 'vitest';
import { logChoose, logGamma, logSumExp } from './log-math.js';

describe('log-math', () => {
  it('matches known values of ln Γ', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(logGamma(10)).toBeCloseTo(Math.log(362_880), 10);
    expect(logGamma(1e6 + 1)).toBeCloseTo(12_815_518.384_658_169, 3);
  });

  it('computes binomial coefficients and sums in log space', () => {
    expect(Math.exp(logChoose(10, 3))).toBeCloseTo(120, 8);
    expect(logChoose(5, 7)).toBe(-Infinity);
    expect(logSumExp([Math.log(2), Math.log(3)])).toBeCloseTo(Math.log(5), 12);
    expect(logSumExp([1000, 1000])).toBeCloseTo(1000 + Math.log(2), 12);
    expect(logSumExp([])).toBe(-Infinity);
  });
});
