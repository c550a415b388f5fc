import { SOURCE_CAPABILITIES } from '../../../core/analysis/source-capabilities.js';
import {
  inconclusive,
  type Inconclusive,
  type MeasureRequest,
  type Measurement,
  type MetricQuery,
  type MetricsSide,
  type MetricsSource,
  type QueryReading,
  type QueryValidation,
} from '../../../core/analysis/metrics-source.js';
import type { Clock } from '../../../core/time/clock.js';
import { PairedWindows } from '../paired-windows.js';
import {
  DEFAULT_EXCLUDED_PATHS,
  DEFAULT_SERIES_NAMES,
  cleanSnapshot,
  windowBetween,
  type SeriesNames,
  type SeriesSample,
  type SeriesSnapshot,
} from '../series-window.js';
import { PrometheusClient } from './prometheus-client.js';
import { fillPlaceholders, neutralPlaceholders, sideMatcher } from './prometheus-placeholders.js';

export interface PrometheusSourceOptions {
  readonly clock: Clock;
  /** Base URL, e.g. http://prometheus:9090 (credentials allowed; never shown). */
  readonly url: string;
  readonly timeoutMs?: number;
  readonly names?: SeriesNames;
  readonly excludePaths?: readonly string[];
  /** Label matchers selecting one side's series; `{{instance}}`, `{{version}}`, `{{id}}` filled. */
  readonly sideMatcher?: string;
}

/**
 * Metrics through Prometheus' HTTP API. Built-in metrics read the same series the app
 * exposes — `http_requests_total` and `http_request_duration_seconds_*` selected by the
 * side's instance — as raw counters, and the windows come from their deltas exactly as
 * the scrape source computes them: consecutive windows never overlap, which the sequential
 * comparison needs (a `rate(…[1m])` read every second would count each request sixty
 * times). Custom conditions run their PromQL as written, placeholders filled.
 */
export class PrometheusMetricsSource implements MetricsSource {
  readonly kind = 'prometheus';
  readonly capabilities = SOURCE_CAPABILITIES.prometheus;
  readonly #options: PrometheusSourceOptions;
  readonly #client: PrometheusClient;
  readonly #windows = new PairedWindows<SeriesSnapshot>((before, after) => ({
    kind: 'window',
    window: windowBetween(before, after),
  }));

  constructor(options: PrometheusSourceOptions) {
    this.#options = options;
    this.#client = new PrometheusClient(options.url, options.timeoutMs ?? 5_000);
  }

  async measure(request: MeasureRequest): Promise<Measurement> {
    const at = this.#options.clock.now().toISOString();
    const sides = [
      { side: request.canary, role: 'canary' },
      ...(request.stable ? [{ side: request.stable, role: 'stable' }] : []),
    ];
    const [reads, queryReadings] = await Promise.all([
      Promise.all(
        sides.map(async ({ side, role }) => ({
          side,
          role,
          read: await this.#read(side, at, request.signal),
        })),
      ),
      Promise.all((request.queries ?? []).map((query) => this.#runQuery(query, request))),
    ]);
    const [canary, stable] = this.#windows.advance(reads);
    const queries: Record<string, QueryReading> = {};
    (request.queries ?? []).forEach(({ name }, i) => (queries[name] = queryReadings[i]!));
    return { at, canary: canary!, ...(stable ? { stable } : {}), queries };
  }

  async validateQuery(query: string): Promise<QueryValidation> {
    const stand = { id: 'placeholder', version: 'placeholder' };
    const filled = fillPlaceholders(query, { canary: stand, stable: stand });
    if ('problem' in filled) return { kind: 'invalid', message: filled.problem };
    const result = await this.#client.query(neutralPlaceholders(query));
    if (result.kind === 'inconclusive') {
      if (result.code === 'QUERY_INVALID') return { kind: 'invalid', message: result.reason };
      return { kind: 'unknown', reason: result.reason };
    }
    return { kind: 'valid' };
  }

  async #read(
    side: MetricsSide,
    at: string,
    signal?: AbortSignal,
  ): Promise<SeriesSnapshot | Inconclusive> {
    const names = this.#options.names ?? DEFAULT_SERIES_NAMES;
    const matcher = sideMatcher(this.#options.sideMatcher ?? 'instance="{{instance}}"', side);
    // `up` tells a target with no traffic yet (up, no request series) from one not scraped.
    const pattern = `up|${names.requests}|${names.duration}_(bucket|sum|count)`;
    const result = await this.#client.query(`{__name__=~"${pattern}",${matcher}}`, signal);
    if (result.kind === 'inconclusive') return result;
    if (result.kind !== 'vector') return inconclusive('GARBAGE', 'Prometheus answered a scalar');
    const up = result.samples.find((sample) => sample.labels['__name__'] === 'up');
    if (!up) {
      return inconclusive(
        'NO_DATA',
        `Prometheus at ${this.#client.where} does not scrape {${matcher}} (no up series: is that side a target, under that label?)`,
      );
    }
    if (up.value !== 1) {
      return inconclusive(
        'UNREACHABLE',
        `Prometheus cannot scrape {${matcher}} (up is ${up.value})`,
      );
    }
    const by = (name: string): SeriesSample[] =>
      result.samples
        .filter((sample) => sample.labels['__name__'] === name)
        .map((sample) => ({ labels: withoutName(sample.labels), value: sample.value }));
    const snapshot: SeriesSnapshot = {
      at,
      requests: by(names.requests),
      buckets: by(`${names.duration}_bucket`),
      sums: by(`${names.duration}_sum`),
      counts: by(`${names.duration}_count`),
    };
    const clean = cleanSnapshot(snapshot, this.#options.excludePaths ?? DEFAULT_EXCLUDED_PATHS);
    return typeof clean === 'string' ? inconclusive('GARBAGE', `Prometheus: ${clean}`) : clean;
  }

  async #runQuery(query: MetricQuery, request: MeasureRequest): Promise<QueryReading> {
    const filled = fillPlaceholders(query.query, request);
    if ('problem' in filled)
      return inconclusive('QUERY_INVALID', `${query.name}: ${filled.problem}`);
    const result = await this.#client.query(filled.query, request.signal);
    if (result.kind === 'inconclusive') {
      return inconclusive(result.code, `${query.name}: ${result.reason}`);
    }
    if (result.kind === 'scalar') return valueReading(query.name, result.value);
    if (result.samples.length === 0) {
      return inconclusive('NO_DATA', `${query.name}: the query returned no series`);
    }
    if (result.samples.length > 1) {
      return inconclusive(
        'QUERY_INVALID',
        `${query.name}: the query returned ${result.samples.length} series; aggregate it to one number, e.g. sum(…)`,
      );
    }
    return valueReading(query.name, result.samples[0]!.value);
  }

  close(): Promise<void> {
    this.#windows.clear();
    return Promise.resolve();
  }
}

function valueReading(name: string, value: number): QueryReading {
  // 0/0 (a ratio with no traffic) is NaN in PromQL: no data, not a number to judge.
  if (Number.isNaN(value)) {
    return inconclusive('NO_DATA', `${name}: the query returned NaN (no traffic?)`);
  }
  // ±Inf (a quantile past the last bucket) is judged as the largest number JSON keeps.
  return { kind: 'value', value: Math.max(-Number.MAX_VALUE, Math.min(Number.MAX_VALUE, value)) };
}

function withoutName(labels: Readonly<Record<string, string>>): Record<string, string> {
  const { __name__: _name, ...rest } = labels;
  return rest;
}
