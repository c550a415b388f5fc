import { BUILTIN_METRICS } from '../policy/schema/analysis.js';
import { addHistograms, histogramQuantile } from './histogram.js';
import type { LatencyWindow, SideWindow } from './metrics-source.js';

export type BuiltinMetric = (typeof BUILTIN_METRICS)[number];

const builtin = new Set<string>(BUILTIN_METRICS);

export function isBuiltinMetric(metric: string): metric is BuiltinMetric {
  return builtin.has(metric);
}

const QUANTILES: Partial<Record<BuiltinMetric, number>> = {
  latency_p50: 0.5,
  latency_p90: 0.9,
  latency_p95: 0.95,
  latency_p99: 0.99,
};

/** The quantile a `latency_pNN` metric asks for; undefined for the others. */
export function metricQuantile(metric: BuiltinMetric): number | undefined {
  return QUANTILES[metric];
}

export type MetricValue =
  | { readonly kind: 'value'; readonly value: number }
  | { readonly kind: 'missing'; readonly reason: string };

/** A built-in metric over one window, in the analysis' units (ratios, seconds, per second). */
export function builtinMetricValue(metric: BuiltinMetric, window: SideWindow): MetricValue {
  const seconds = (Date.parse(window.to) - Date.parse(window.from)) / 1000;
  switch (metric) {
    case 'throughput':
      return seconds > 0
        ? { kind: 'value', value: window.requests / seconds }
        : { kind: 'missing', reason: 'the window has no length' };
    case 'error_rate':
    case 'availability': {
      if (window.requests === 0) return { kind: 'missing', reason: 'no requests in the window' };
      const ratio = window.errors / window.requests;
      return { kind: 'value', value: metric === 'error_rate' ? ratio : 1 - ratio };
    }
    case 'latency_avg': {
      const latency = window.latency;
      if (!latency || latency.observations === 0) {
        return { kind: 'missing', reason: 'no request latencies in the window' };
      }
      return { kind: 'value', value: latency.meanSeconds };
    }
    default: {
      const q = QUANTILES[metric] ?? 0.5;
      const histogram = window.latency?.histogram;
      if (!histogram) {
        return { kind: 'missing', reason: 'the source gives no latency histogram' };
      }
      const value = histogramQuantile(q, histogram);
      return value === undefined
        ? { kind: 'missing', reason: 'no request latencies in the window' }
        : { kind: 'value', value };
    }
  }
}

/** Two consecutive windows as one, for judging a run of windows too small on their own. */
export function mergeWindows(first: SideWindow, second: SideWindow): SideWindow {
  const latency = mergeLatency(first.latency, second.latency);
  return {
    from: first.from,
    to: second.to,
    requests: first.requests + second.requests,
    errors: first.errors + second.errors,
    ...(latency ? { latency } : {}),
  };
}

function mergeLatency(
  a: LatencyWindow | undefined,
  b: LatencyWindow | undefined,
): LatencyWindow | undefined {
  if (!a || a.observations === 0) return b;
  if (!b || b.observations === 0) return a;
  const observations = a.observations + b.observations;
  const meanSeconds =
    (a.meanSeconds * a.observations + b.meanSeconds * b.observations) / observations;
  const histogram =
    a.histogram && b.histogram ? addHistograms(a.histogram, b.histogram) : undefined;
  return { observations, meanSeconds, ...(histogram ? { histogram } : {}) };
}

/** Why a window cannot be true: the analysis treats such a reading as garbage. */
export function windowProblem(window: SideWindow): string | undefined {
  const numbers = [window.requests, window.errors, window.latency?.meanSeconds ?? 0];
  if (numbers.some((value) => !Number.isFinite(value) || value < 0)) {
    return 'negative or non-numeric counts';
  }
  if (window.errors > window.requests) {
    return `${window.errors} errors out of ${window.requests} requests`;
  }
  if (Number.isNaN(Date.parse(window.from)) || Number.isNaN(Date.parse(window.to))) {
    return 'the window has no valid time span';
  }
  return undefined;
}
