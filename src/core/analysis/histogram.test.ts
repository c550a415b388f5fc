import { describe, expect, it } from 'vitest';
import { addHistograms, coarsen, histogramQuantile, scaleHistogram } from './histogram.js';

const bounds = [0.1, 0.5, 1];

describe('histogramQuantile (as Prometheus histogram_quantile)', () => {
  it('interpolates linearly inside the bucket holding the rank', () => {
    // 10 requests: 4 ≤ 0.1 s, 4 in (0.1, 0.5], 2 in (0.5, 1].
    const histogram = { bounds, counts: [4, 4, 2, 0] };
    expect(histogramQuantile(0.5, histogram)).toBeCloseTo(0.1 + 0.4 * (1 / 4));
    expect(histogramQuantile(0.2, histogram)).toBeCloseTo(0.05); // first bucket starts at 0
    expect(histogramQuantile(0.9, histogram)).toBeCloseTo(0.75);
    expect(histogramQuantile(0.8, histogram)).toBeCloseTo(0.5);
  });

  it('answers the largest finite bound when the rank falls in +Inf, and nothing when empty', () => {
    expect(histogramQuantile(0.99, { bounds, counts: [1, 0, 0, 9] })).toBe(1);
    expect(histogramQuantile(0.5, { bounds, counts: [0, 0, 0, 0] })).toBeUndefined();
  });
});

describe('bucket arithmetic', () => {
  it('coarsens to common bounds before adding histograms with different buckets', () => {
    const a = { bounds: [0.1, 0.25, 0.5], counts: [1, 2, 3, 4] };
    const b = { bounds: [0.1, 0.5, 1], counts: [10, 20, 30, 40] };
    expect(coarsen(a, [0.1, 0.5])).toEqual({ bounds: [0.1, 0.5], counts: [1, 5, 4] });
    expect(addHistograms(a, b)).toEqual({ bounds: [0.1, 0.5], counts: [11, 25, 74] });
  });

  it('scales latencies down keeping every request, spread evenly inside buckets', () => {
    const histogram = { bounds: [1, 2, 3], counts: [0, 10, 10, 5] };
    const scaled = scaleHistogram(histogram, 0.5);
    // (1,2] becomes (0.5,1]: all in the first bucket; (2,3] becomes (1,1.5]: the second.
    expect(scaled.counts).toEqual([10, 10, 0, 5]);
    const partial = scaleHistogram({ bounds: [1, 2], counts: [0, 10, 0] }, 0.75);
    // (1,2] becomes (0.75,1.5]: a third below 1, two thirds above.
    expect(partial.counts).toEqual([3, 7, 0]);
    expect(scaleHistogram(histogram, 1)).toBe(histogram);
  });
});
