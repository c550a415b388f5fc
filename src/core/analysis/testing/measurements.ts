import type { LatencyHistogram, Measurement, SideReading } from '../metrics-source.js';

/** Builds measurements for the analysis tests: one window per side, `seconds` long, ending at `at`. */
export function window(
  at: Date,
  requests: number,
  errors: number,
  options: {
    readonly seconds?: number;
    readonly histogram?: LatencyHistogram;
    readonly mean?: number;
  } = {},
): SideReading {
  const from = new Date(at.getTime() - (options.seconds ?? 10) * 1000).toISOString();
  const observations = options.histogram
    ? options.histogram.counts.reduce((a, b) => a + b, 0)
    : requests;
  return {
    kind: 'window',
    window: {
      from,
      to: at.toISOString(),
      requests,
      errors,
      ...(options.mean !== undefined || options.histogram
        ? {
            latency: {
              observations,
              meanSeconds: options.mean ?? 0.1,
              ...(options.histogram ? { histogram: options.histogram } : {}),
            },
          }
        : {}),
    },
  };
}

export function measurement(
  at: Date,
  canary: SideReading,
  stable?: SideReading,
  queries: Measurement['queries'] = {},
): Measurement {
  return { at: at.toISOString(), canary, ...(stable ? { stable } : {}), queries };
}
