import type { TargetEndpoint } from '../target/target.js';

/**
 * The MetricsSource port: reads what each side of a release answered since the previous
 * reading. The analysis (pure) judges these windows; the source only measures.
 *
 * A source never rejects because the thing it reads is slow, gone or talking nonsense: it
 * returns an `inconclusive` reading saying why, so a broken metrics path can pause or fail
 * an analysis but never pass it.
 */

/** One side: the version under judgment (`canary`) or the one it is compared with (`stable`). */
export interface MetricsSide {
  /** Stable name of the backend, e.g. `api-green`; HAProxy's server name unless `server` is set. */
  readonly id: string;
  readonly version: string;
  /** Where the side answers: its `/metrics` (scrape) and its `instance` label (prometheus). */
  readonly endpoint?: TargetEndpoint;
  /** The HAProxy server that carries this side's traffic, when it is not named `id`. */
  readonly server?: string;
}

/** A custom metric: PromQL with `{{canary}}` / `{{stable}}` placeholders. */
export interface MetricQuery {
  readonly name: string;
  readonly query: string;
}

export interface MeasureRequest {
  readonly canary: MetricsSide;
  /** Absent when nothing is compared (a monitoring window after a full switch). */
  readonly stable?: MetricsSide;
  readonly queries?: readonly MetricQuery[];
  readonly signal?: AbortSignal;
}

/** Request latencies in buckets, the way Prometheus histograms keep them. */
export interface LatencyHistogram {
  /** Finite upper bounds in seconds, ascending; a last +Inf bucket is implied. */
  readonly bounds: readonly number[];
  /** Requests per bucket (not cumulative): one more entry than `bounds`, the last is +Inf. */
  readonly counts: readonly number[];
}

export interface LatencyWindow {
  /** How many requests the mean and the histogram describe. */
  readonly observations: number;
  readonly meanSeconds: number;
  /** Absent when the source only knows averages (HAProxy). */
  readonly histogram?: LatencyHistogram;
}

/** What one side answered between two readings. */
export interface SideWindow {
  readonly from: string;
  readonly to: string;
  readonly requests: number;
  /** Requests answered 5xx (or failed before any answer). */
  readonly errors: number;
  readonly latency?: LatencyWindow;
}

/**
 * Why a reading says nothing. `NO_WINDOW_YET` is the first reading of a side (a window
 * needs two); `QUERY_INVALID` and `UNSUPPORTED` will not get better by waiting.
 */
export type ReadingProblem =
  | 'NO_WINDOW_YET'
  | 'TIMEOUT'
  | 'UNREACHABLE'
  | 'GARBAGE'
  | 'NOT_FOUND'
  | 'NO_DATA'
  | 'QUERY_INVALID'
  | 'UNSUPPORTED'
  | 'FAILED';

export const PERMANENT_PROBLEMS: ReadonlySet<ReadingProblem> = new Set([
  'QUERY_INVALID',
  'UNSUPPORTED',
]);

export interface Inconclusive {
  readonly kind: 'inconclusive';
  readonly code: ReadingProblem;
  /** One sentence naming what was read and what went wrong; never a secret. */
  readonly reason: string;
}

export type SideReading = { readonly kind: 'window'; readonly window: SideWindow } | Inconclusive;

export type QueryReading = { readonly kind: 'value'; readonly value: number } | Inconclusive;

export interface Measurement {
  /** When the reading was taken (ISO 8601), from the source's clock. */
  readonly at: string;
  readonly canary: SideReading;
  readonly stable?: SideReading;
  /** One reading per requested query, by name. */
  readonly queries: Readonly<Record<string, QueryReading>>;
}

export interface MetricsSourceCapabilities {
  /** Latency buckets (quantiles, the rank test); without them only the mean is known. */
  readonly latencyHistogram: boolean;
  /** Custom PromQL queries. */
  readonly queries: boolean;
}

export type QueryValidation =
  | { readonly kind: 'valid' }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'unknown'; readonly reason: string };

export interface MetricsSource {
  readonly kind: string;
  readonly capabilities: MetricsSourceCapabilities;
  /**
   * Reads both sides (and the queries) now. Each side's window runs from the previous
   * successful reading of *both* sides to this one, so the two windows always cover the
   * same span. Never rejects for a fault of what it reads.
   */
  measure(request: MeasureRequest): Promise<Measurement>;
  /** Asks the metrics backend whether a query parses; `unknown` when it cannot be asked. */
  validateQuery?(query: string): Promise<QueryValidation>;
  /** Forgets remembered readings and releases connections. */
  close?(): Promise<void>;
}

export function inconclusive(code: ReadingProblem, reason: string): Inconclusive {
  return { kind: 'inconclusive', code, reason };
}
