import type { LatencyHistogram, SideWindow } from '../../core/analysis/metrics-source.js';

/**
 * Counter arithmetic shared by the sources that read raw Prometheus series (the app's own
 * `/metrics`, or the same series through Prometheus): two snapshots of the request counter
 * and the duration histogram become one window of requests, errors and latencies.
 */
export interface SeriesSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface SeriesSnapshot {
  readonly at: string;
  /** `http_requests_total` (or the configured counter). */
  readonly requests: readonly SeriesSample[];
  /** `…_bucket` series, each with its `le` label. */
  readonly buckets: readonly SeriesSample[];
  readonly sums: readonly SeriesSample[];
  readonly counts: readonly SeriesSample[];
}

export interface SeriesNames {
  readonly requests: string;
  readonly duration: string;
}

export const DEFAULT_SERIES_NAMES: SeriesNames = {
  requests: 'http_requests_total',
  duration: 'http_request_duration_seconds',
};

/** Paths whose requests are not the app's traffic: the metrics scrape itself. */
export const DEFAULT_EXCLUDED_PATHS: readonly string[] = ['/metrics'];

const PATH_LABELS = ['path', 'handler', 'route'];
const CODE_LABELS = ['code', 'status', 'status_code'];

/** Whether a sample is the app's traffic (not a path excluded by the caller). */
export function isTraffic(labels: Readonly<Record<string, string>>, excluded: readonly string[]) {
  return !PATH_LABELS.some((label) => {
    const value = labels[label];
    return value !== undefined && excluded.includes(value);
  });
}

/** A snapshot with excluded paths left out and every value checked to be a finite count. */
export function cleanSnapshot(
  snapshot: SeriesSnapshot,
  excluded: readonly string[],
): SeriesSnapshot | string {
  const all = [...snapshot.requests, ...snapshot.buckets, ...snapshot.sums, ...snapshot.counts];
  const bad = all.find((sample) => !Number.isFinite(sample.value) || sample.value < 0);
  if (bad) return `a counter has the value ${String(bad.value)}`;
  const keep = (samples: readonly SeriesSample[]) =>
    samples.filter((sample) => isTraffic(sample.labels, excluded));
  return {
    at: snapshot.at,
    requests: keep(snapshot.requests),
    buckets: keep(snapshot.buckets),
    sums: keep(snapshot.sums),
    counts: keep(snapshot.counts),
  };
}

function key(labels: Readonly<Record<string, string>>, without?: string): string {
  return JSON.stringify(
    Object.entries(labels)
      .filter(([name]) => name !== without)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

/**
 * Increase of each series between two snapshots. A series that went down was reset (the
 * process restarted), so its increase is its whole new value — Prometheus' `increase()`
 * rule; a series that is new counted from zero.
 */
function increases(
  before: readonly SeriesSample[],
  after: readonly SeriesSample[],
): { labels: Readonly<Record<string, string>>; increase: number }[] {
  const previous = new Map(before.map((sample) => [key(sample.labels), sample.value]));
  return after.map((sample) => {
    const old = previous.get(key(sample.labels));
    const increase = old === undefined || sample.value < old ? sample.value : sample.value - old;
    return { labels: sample.labels, increase };
  });
}

function isError(labels: Readonly<Record<string, string>>): boolean {
  return CODE_LABELS.some((label) => labels[label]?.startsWith('5') ?? false);
}

/** The window between two cleaned snapshots of one side. */
export function windowBetween(before: SeriesSnapshot, after: SeriesSnapshot): SideWindow {
  let requests = 0;
  let errors = 0;
  for (const { labels, increase } of increases(before.requests, after.requests)) {
    requests += increase;
    if (isError(labels)) errors += increase;
  }
  const observations = sum(increases(before.counts, after.counts));
  const seconds = sum(increases(before.sums, after.sums));
  const histogram = histogramOf(increases(before.buckets, after.buckets));
  return {
    from: before.at,
    to: after.at,
    requests,
    errors,
    ...(observations > 0
      ? {
          latency: {
            observations,
            meanSeconds: seconds / observations,
            ...(histogram ? { histogram } : {}),
          },
        }
      : {}),
  };
}

function sum(values: readonly { increase: number }[]): number {
  return values.reduce((total, { increase }) => total + increase, 0);
}

/** Cumulative `le` buckets of every series, added up over the bounds they all share. */
function histogramOf(
  buckets: readonly { labels: Readonly<Record<string, string>>; increase: number }[],
): LatencyHistogram | undefined {
  const groups = new Map<string, Map<number, number>>();
  for (const { labels, increase } of buckets) {
    const le = labels['le'];
    if (le === undefined) continue;
    const bound = le === '+Inf' ? Infinity : Number(le);
    if (Number.isNaN(bound)) continue;
    const group = groups.get(key(labels, 'le')) ?? new Map<number, number>();
    group.set(bound, (group.get(bound) ?? 0) + increase);
    groups.set(key(labels, 'le'), group);
  }
  if (groups.size === 0) return undefined;
  const maps = [...groups.values()];
  const shared = [...maps[0]!.keys()].filter((bound) => maps.every((map) => map.has(bound)));
  const finite = shared.filter((bound) => Number.isFinite(bound)).sort((a, b) => a - b);
  if (!shared.includes(Infinity)) return undefined;
  const cumulative = [...finite, Infinity].map((bound) =>
    maps.reduce((total, map) => total + (map.get(bound) ?? 0), 0),
  );
  // A reset in the middle of a scrape can leave buckets out of order: never a negative count.
  const counts = cumulative.map((value, i) =>
    Math.max(0, value - (i === 0 ? 0 : cumulative[i - 1]!)),
  );
  return { bounds: finite, counts };
}
