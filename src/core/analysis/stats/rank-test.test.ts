import { describe, expect, it } from 'vitest';
import { RANK_GRID, emptyRankEvidence, updateRankEvidence } from './rank-test.js';

/** Every way to pick `size` of the pooled requests (as bucket indices) for the canary. */
function subsets(pool: number[], size: number): number[][] {
  if (size === 0) return [[]];
  if (pool.length < size) return [];
  const [first, ...rest] = pool;
  return [...subsets(rest, size - 1).map((s) => [first!, ...s]), ...subsets(rest, size)];
}

describe('sequential rank test', () => {
  it('gives e-values whose exact expectation under exchangeability is at most 1', () => {
    // 9 requests in 4 buckets, ties included; the canary holds 3 (then 6) of them.
    const pooled = [0, 0, 1, 1, 1, 2, 3, 3, 3];
    for (const canarySize of [3, 6]) {
      const picks = subsets(
        pooled.map((_, i) => i),
        canarySize,
      );
      for (const side of ['up', 'down'] as const) {
        for (let g = 0; g < RANK_GRID.length; g++) {
          let expectation = 0;
          for (const pick of picks) {
            const canary = [0, 0, 0, 0];
            const baseline = [0, 0, 0, 0];
            pooled.forEach((bucket, i) => (pick.includes(i) ? canary : baseline)[bucket]!++);
            const evidence = updateRankEvidence(emptyRankEvidence(), canary, baseline);
            expectation += Math.exp(evidence[side][g]!) / picks.length;
          }
          expect(expectation).toBeLessThanOrEqual(1 + 1e-12);
        }
      }
    }
  });

  it('moves towards "slower" for a slower canary and "faster" for a faster one', () => {
    const slower = updateRankEvidence(emptyRankEvidence(), [0, 5, 30, 15], [40, 100, 10, 0]);
    expect(slower.maxLogUp).toBeGreaterThan(Math.log(100));
    expect(slower.maxLogDown).toBe(0);
    const faster = updateRankEvidence(emptyRankEvidence(), [30, 20, 0, 0], [0, 40, 100, 10]);
    expect(faster.maxLogDown).toBeGreaterThan(Math.log(100));
  });

  it('needs both sides in a window', () => {
    const empty = emptyRankEvidence();
    expect(updateRankEvidence(empty, [0, 0], [3, 4])).toBe(empty);
    expect(() => updateRankEvidence(empty, [1], [1, 2])).toThrow(RangeError);
  });
});
