import type { LatencyHistogram } from './metrics-source.js';

/**
 * The q-quantile of a histogram by linear interpolation inside the bucket that holds it,
 * exactly as Prometheus' `histogram_quantile`: the first bucket starts at 0, and a quantile
 * that falls in the +Inf bucket is the largest finite bound. `undefined` when it is empty.
 */
export function histogramQuantile(q: number, histogram: LatencyHistogram): number | undefined {
  const { bounds, counts } = histogram;
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total <= 0 || bounds.length === 0) return undefined;
  const rank = q * total;
  let below = 0;
  for (let b = 0; b < bounds.length; b++) {
    const inBucket = counts[b] ?? 0;
    if (below + inBucket >= rank && inBucket > 0) {
      const end = bounds[b]!;
      if (b === 0 && end <= 0) return end;
      const start = b === 0 ? 0 : bounds[b - 1]!;
      return start + (end - start) * ((rank - below) / inBucket);
    }
    below += inBucket;
  }
  return bounds[bounds.length - 1];
}

/** Finite bounds both histograms have (exact matches of the same `le` text parse alike). */
export function commonBounds(a: readonly number[], b: readonly number[]): number[] {
  const other = new Set(b);
  return a.filter((bound) => other.has(bound));
}

/** The same requests in coarser buckets: `bounds` must be a subset of the histogram's own. */
export function coarsen(histogram: LatencyHistogram, bounds: readonly number[]): LatencyHistogram {
  const counts = new Array<number>(bounds.length + 1).fill(0);
  let target = 0;
  histogram.bounds.forEach((bound, i) => {
    while (target < bounds.length && bounds[target]! < bound) target++;
    counts[target]! += histogram.counts[i] ?? 0;
  });
  counts[bounds.length]! += histogram.counts[histogram.bounds.length] ?? 0;
  return { bounds: [...bounds], counts };
}

/** Two histograms over their common buckets, so they can be added or ranked together. */
export function alignHistograms(
  a: LatencyHistogram,
  b: LatencyHistogram,
): [LatencyHistogram, LatencyHistogram] {
  if (sameBounds(a.bounds, b.bounds)) return [a, b];
  const bounds = commonBounds(a.bounds, b.bounds);
  return [coarsen(a, bounds), coarsen(b, bounds)];
}

export function addHistograms(a: LatencyHistogram, b: LatencyHistogram): LatencyHistogram {
  const [left, right] = alignHistograms(a, b);
  return { bounds: left.bounds, counts: left.counts.map((count, i) => count + right.counts[i]!) };
}

/**
 * Every latency multiplied by `factor` (< 1 makes the histogram faster), requests spread
 * evenly inside their bucket — the assumption `histogram_quantile` makes — and re-counted
 * into the same buckets with whole counts (largest remainder). Requests in +Inf stay there:
 * nothing is known of how slow they were.
 */
export function scaleHistogram(histogram: LatencyHistogram, factor: number): LatencyHistogram {
  const { bounds, counts } = histogram;
  if (factor === 1) return histogram;
  const shares = new Array<number>(bounds.length + 1).fill(0);
  for (let j = 0; j < bounds.length; j++) {
    const count = counts[j] ?? 0;
    if (count === 0) continue;
    const low = (j === 0 ? 0 : bounds[j - 1]!) * factor;
    const high = bounds[j]! * factor;
    const width = high - low;
    for (let k = 0; k <= bounds.length; k++) {
      const targetLow = k === 0 ? 0 : bounds[k - 1]!;
      const targetHigh = k === bounds.length ? Infinity : bounds[k]!;
      const overlap = Math.min(high, targetHigh) - Math.max(low, targetLow);
      if (width <= 0) {
        if (low >= targetLow && low <= targetHigh) {
          shares[k]! += count;
          break;
        }
      } else if (overlap > 0) {
        shares[k]! += (count * overlap) / width;
      }
    }
  }
  shares[bounds.length]! += counts[bounds.length] ?? 0;
  return { bounds, counts: roundPreservingTotal(shares) };
}

function roundPreservingTotal(shares: readonly number[]): number[] {
  const total = Math.round(shares.reduce((sum, share) => sum + share, 0));
  const floors = shares.map((share) => Math.floor(share + 1e-9));
  let missing = total - floors.reduce((sum, value) => sum + value, 0);
  const order = shares
    .map((share, i) => ({ i, remainder: share - floors[i]! }))
    .sort((a, b) => b.remainder - a.remainder);
  for (const { i } of order) {
    if (missing <= 0) break;
    floors[i]! += 1;
    missing -= 1;
  }
  return floors;
}

function sameBounds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((bound, i) => bound === b[i]);
}
