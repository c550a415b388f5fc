import { describe, expect, it } from 'vitest';
import { logChoose } from '../stats/log-math.js';
import { mulberry32 } from './simulate-canary.js';
import { sampleCanaryErrors } from './tilted-false-alarms.js';

describe('importance sampling of the false-alarm rate', () => {
  it('draws canary errors from the noncentral hypergeometric given the margins', () => {
    const [nc, nb, n, psi] = [20, 180, 6, 2];
    const weights = Array.from({ length: n + 1 }, (_, x) =>
      Math.exp(logChoose(nc, x) + logChoose(nb, n - x) + x * Math.log(psi)),
    );
    const total = weights.reduce((a, b) => a + b, 0);
    const random = mulberry32(7);
    const counts = new Array<number>(n + 1).fill(0);
    const draws = 200_000;
    for (let i = 0; i < draws; i++)
      counts[sampleCanaryErrors(nc, nb, n, Math.log(psi), random())]! += 1;
    for (let x = 0; x <= n; x++) {
      const p = weights[x]! / total;
      expect(Math.abs(counts[x]! / draws - p)).toBeLessThan(
        4 * Math.sqrt((p * (1 - p)) / draws) + 1e-4,
      );
    }
  });

  it('keeps what the margins force: one side without requests, no errors', () => {
    expect(sampleCanaryErrors(0, 100, 3, Math.log(2), 0.5)).toBe(0);
    expect(sampleCanaryErrors(100, 0, 3, Math.log(2), 0.5)).toBe(3);
    expect(sampleCanaryErrors(50, 50, 0, Math.log(2), 0.5)).toBe(0);
  });
});
