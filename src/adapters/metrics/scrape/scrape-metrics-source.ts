import { SOURCE_CAPABILITIES } from '../../../core/analysis/source-capabilities.js';
import {
  inconclusive,
  type Inconclusive,
  type MeasureRequest,
  type Measurement,
  type MetricsSide,
  type MetricsSource,
  type QueryReading,
} from '../../../core/analysis/metrics-source.js';
import type { Clock } from '../../../core/time/clock.js';
import { fetchText } from '../http/fetch-text.js';
import { PairedWindows } from '../paired-windows.js';
import {
  DEFAULT_EXCLUDED_PATHS,
  DEFAULT_SERIES_NAMES,
  cleanSnapshot,
  windowBetween,
  type SeriesNames,
  type SeriesSnapshot,
} from '../series-window.js';
import { parseExposition } from './scrape-parse.js';

export interface ScrapeSourceOptions {
  readonly clock: Clock;
  /** Per read of one side's `/metrics` (default 2 s). */
  readonly timeoutMs?: number;
  readonly metricsPath?: string;
  readonly names?: SeriesNames;
  /** Paths that are not traffic (default `/metrics`, the scrape itself). */
  readonly excludePaths?: readonly string[];
}

/**
 * The embedded default: reads each side's own Prometheus `/metrics`, no Prometheus needed,
 * and computes windows from counter deltas.
 */
export class ScrapeMetricsSource implements MetricsSource {
  readonly kind = 'scrape';
  readonly capabilities = SOURCE_CAPABILITIES.scrape;
  readonly #options: ScrapeSourceOptions;
  readonly #windows = new PairedWindows<SeriesSnapshot>((before, after) => ({
    kind: 'window',
    window: windowBetween(before, after),
  }));

  constructor(options: ScrapeSourceOptions) {
    this.#options = options;
  }

  async measure(request: MeasureRequest): Promise<Measurement> {
    const at = this.#options.clock.now().toISOString();
    const sides = [
      { side: request.canary, role: 'canary' },
      ...(request.stable ? [{ side: request.stable, role: 'stable' }] : []),
    ];
    const reads = await Promise.all(
      sides.map(async ({ side, role }) => ({
        side,
        role,
        read: await this.#read(side, at, request.signal),
      })),
    );
    const [canary, stable] = this.#windows.advance(reads);
    const queries: Record<string, QueryReading> = {};
    for (const { name } of request.queries ?? []) {
      queries[name] = inconclusive(
        'UNSUPPORTED',
        'source scrape cannot run PromQL queries: set source: prometheus',
      );
    }
    return { at, canary: canary!, ...(stable ? { stable } : {}), queries };
  }

  async #read(
    side: MetricsSide,
    at: string,
    signal?: AbortSignal,
  ): Promise<SeriesSnapshot | Inconclusive> {
    if (!side.endpoint) {
      return inconclusive('UNSUPPORTED', `side ${side.id} has no endpoint to read /metrics from`);
    }
    const path = this.#options.metricsPath ?? '/metrics';
    const url = `http://${side.endpoint.host}:${side.endpoint.port}${path}`;
    const what = `${side.id} ${url}`;
    const fetched = await fetchText(url, what, this.#options.timeoutMs ?? 2_000, signal);
    if (fetched.kind === 'inconclusive') return fetched;
    if (fetched.status === 404) return inconclusive('NOT_FOUND', `${what} answered 404`);
    if (fetched.status !== 200) {
      return inconclusive('FAILED', `${what} answered HTTP ${fetched.status}`);
    }
    if (/html|json/i.test(fetched.contentType)) {
      return inconclusive('GARBAGE', `${what} answered ${fetched.contentType}, not metrics`);
    }
    const parsed = parseExposition(fetched.body, this.#options.names ?? DEFAULT_SERIES_NAMES, at);
    if (typeof parsed === 'string') return inconclusive('GARBAGE', `${what}: ${parsed}`);
    const clean = cleanSnapshot(parsed, this.#options.excludePaths ?? DEFAULT_EXCLUDED_PATHS);
    return typeof clean === 'string' ? inconclusive('GARBAGE', `${what}: ${clean}`) : clean;
  }

  close(): Promise<void> {
    this.#windows.clear();
    return Promise.resolve();
  }
}
