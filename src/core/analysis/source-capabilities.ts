import type { MetricsSourceCapabilities } from './metrics-source.js';

/**
 * What each metrics source of the policy can do; the adapters declare these, and
 * `policy check` judges an analysis against them before anything runs.
 */
export const SOURCE_CAPABILITIES = {
  scrape: { latencyHistogram: true, queries: false },
  prometheus: { latencyHistogram: true, queries: true },
  haproxy: { latencyHistogram: false, queries: false },
} as const satisfies Record<string, MetricsSourceCapabilities>;
