import type { AnalysisDocument } from '../../core/analysis/analysis-config.js';
import type { MetricsSource } from '../../core/analysis/metrics-source.js';
import { invalidInput } from '../../core/errors/eclusa-error.js';
import type { Clock } from '../../core/time/clock.js';
import { HaproxyMetricsSource } from './haproxy/haproxy-metrics-source.js';
import { PrometheusMetricsSource } from './prometheus/prometheus-metrics-source.js';
import { ScrapeMetricsSource } from './scrape/scrape-metrics-source.js';

export interface MetricsSourceSettings {
  readonly clock: Clock;
  /** Where the environment's HAProxy keeps its stats socket and which backend carries the sides. */
  readonly haproxy?: {
    readonly socketPath: string;
    readonly backend: string;
    readonly servers?: { readonly stable: string; readonly canary: string };
  };
  readonly timeoutMs?: number;
}

/** The source an analysis in the policy names (`scrape` when it names none). */
export function createMetricsSource(
  name: string,
  analysis: Pick<AnalysisDocument, 'source' | 'prometheusUrl' | 'match'>,
  settings: MetricsSourceSettings,
): MetricsSource {
  const timeout = settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {};
  switch (analysis.source ?? 'scrape') {
    case 'scrape':
      return new ScrapeMetricsSource({ clock: settings.clock, ...timeout });
    case 'prometheus':
      if (!analysis.prometheusUrl) {
        throw invalidInput(
          'MISSING_KEY',
          `analysis "${name}" reads Prometheus but gives no prometheusUrl`,
          {
            hint: 'add prometheusUrl: http://prometheus:9090',
          },
        );
      }
      return new PrometheusMetricsSource({
        clock: settings.clock,
        url: analysis.prometheusUrl,
        ...(analysis.match === undefined ? {} : { sideMatcher: analysis.match }),
        ...timeout,
      });
    case 'haproxy':
      if (!settings.haproxy) {
        throw invalidInput(
          'ANALYSIS_UNSUPPORTED',
          `analysis "${name}" reads HAProxy, but the environment's router is not HAProxy`,
          { hint: 'use router kind haproxy for this environment, or source: scrape' },
        );
      }
      return new HaproxyMetricsSource({ clock: settings.clock, ...settings.haproxy, ...timeout });
  }
}
