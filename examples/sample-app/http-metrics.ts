// The exposition is written by hand: text format 0.0.4 takes a few dozen lines, and a Prometheus
// client library would be the sample app's only dependency.

/** Upper bounds, in seconds, of the request duration histogram; +Inf is implied. */
export const DURATION_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface Observation {
  readonly method: string;
  /** Already normalised, so the number of series stays bounded. */
  readonly path: string;
  readonly code: number;
  readonly seconds: number;
}

type Labels = Readonly<Record<string, string>>;

interface Counter {
  readonly labels: Labels;
  value: number;
}

interface Histogram {
  readonly labels: Labels;
  /** Observations per bucket, not cumulative; the last slot is +Inf. */
  readonly buckets: number[];
  sum: number;
  count: number;
}

/** Request counters and duration histograms of one process, rendered for Prometheus. */
export class HttpMetrics {
  readonly #requests = new Map<string, Counter>();
  readonly #durations = new Map<string, Histogram>();

  observe({ method, path, code, seconds }: Observation): void {
    const counterLabels = { code: String(code), method, path };
    const counterKey = JSON.stringify(counterLabels);
    const counter = this.#requests.get(counterKey) ?? { labels: counterLabels, value: 0 };
    counter.value += 1;
    this.#requests.set(counterKey, counter);

    const histogramLabels = { method, path };
    const histogramKey = JSON.stringify(histogramLabels);
    const histogram = this.#durations.get(histogramKey) ?? {
      labels: histogramLabels,
      buckets: new Array<number>(DURATION_BUCKETS.length + 1).fill(0),
      sum: 0,
      count: 0,
    };
    const index = DURATION_BUCKETS.findIndex((bound) => seconds <= bound);
    const slot = index === -1 ? DURATION_BUCKETS.length : index;
    histogram.buckets[slot] = (histogram.buckets[slot] ?? 0) + 1;
    histogram.sum += seconds;
    histogram.count += 1;
    this.#durations.set(histogramKey, histogram);
  }

  /** The text exposition of every series, sorted so that successive scrapes diff cleanly. */
  render(version: string): string {
    const lines: string[] = [
      '# HELP http_requests_total Requests answered, by status code, method and normalised path.',
      '# TYPE http_requests_total counter',
    ];
    for (const { labels, value } of sorted(this.#requests)) {
      lines.push(sample('http_requests_total', labels, value));
    }

    lines.push(
      '# HELP http_request_duration_seconds Time from receiving a request to answering it.',
      '# TYPE http_request_duration_seconds histogram',
    );
    for (const { labels, buckets, sum, count } of sorted(this.#durations)) {
      let cumulative = 0;
      buckets.forEach((observed, slot) => {
        cumulative += observed;
        const bound = DURATION_BUCKETS[slot];
        const le = bound === undefined ? '+Inf' : String(bound);
        lines.push(sample('http_request_duration_seconds_bucket', { ...labels, le }, cumulative));
      });
      lines.push(sample('http_request_duration_seconds_sum', labels, sum));
      lines.push(sample('http_request_duration_seconds_count', labels, count));
    }

    lines.push(
      '# HELP app_version_info Version of the running sample app; the value is always 1.',
      '# TYPE app_version_info gauge',
      sample('app_version_info', { version }, 1),
    );
    return `${lines.join('\n')}\n`;
  }
}

function sorted<T>(series: ReadonlyMap<string, T>): T[] {
  return [...series.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
}

function sample(name: string, labels: Labels, value: number): string {
  const pairs = Object.entries(labels).map(([key, text]) => `${key}="${escapeLabel(text)}"`);
  return `${name}{${pairs.join(',')}} ${value}`;
}

function escapeLabel(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
