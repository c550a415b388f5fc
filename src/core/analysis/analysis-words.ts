import type { Threshold } from '../policy/threshold.js';

// How numbers read in verdict sentences: "canary 5xx 4.1 % vs baseline 0.9 %, 1,240 requests, p < 0.001".

export function formatPercent(ratio: number): string {
  const percent = ratio * 100;
  if (percent === 0) return '0 %';
  if (Math.abs(percent) < 0.1) return `${percent.toFixed(2)} %`;
  return `${percent.toFixed(1)} %`;
}

export function formatSeconds(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
}

export function formatCount(count: number): string {
  return Math.round(count).toLocaleString('en-US');
}

/** An always-valid p-value as people read it. */
export function formatP(p: number): string {
  if (p < 0.001) return 'p < 0.001';
  if (p >= 0.995) return 'p = 1';
  return `p = ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`;
}

const LABELS: Record<string, string> = {
  error_rate: '5xx rate',
  availability: 'availability',
  latency_avg: 'average latency',
  latency_p50: 'p50 latency',
  latency_p90: 'p90 latency',
  latency_p95: 'p95 latency',
  latency_p99: 'p99 latency',
  throughput: 'throughput',
};

export function metricLabel(metric: string): string {
  return LABELS[metric] ?? metric;
}

/** A metric's value in the unit its threshold was written in. */
export function formatMetricValue(value: number, threshold: Threshold, metric: string): string {
  if (threshold.unit === 'ratio' || metric === 'error_rate' || metric === 'availability') {
    return formatPercent(value);
  }
  if (threshold.unit === 'seconds') return formatSeconds(value);
  if (metric === 'throughput') return `${value.toFixed(1)} req/s`;
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}
