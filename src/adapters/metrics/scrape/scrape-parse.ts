import type { SeriesNames, SeriesSample, SeriesSnapshot } from '../series-window.js';

// Written here rather than with the npm package parse-prometheus-text-format: that package
// folds every labelled histogram series into one and drops their _sum and _count
// (its flattenMetrics), which are exactly the series a latency window needs. The text
// format's sample lines are simple: NAME{LABEL="VALUE",…} VALUE [TIMESTAMP].

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?[ \t]+(\S+)(?:[ \t]+-?\d+)?[ \t]*$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/y;

/**
 * The Prometheus text exposition of one process, reduced to the series a window needs.
 * Returns why when the text is not an exposition at all.
 */
export function parseExposition(
  text: string,
  names: SeriesNames,
  at: string,
): SeriesSnapshot | string {
  const wanted = new Map<string, SeriesSample[]>([
    [names.requests, []],
    [`${names.duration}_bucket`, []],
    [`${names.duration}_sum`, []],
    [`${names.duration}_count`, []],
  ]);
  let samples = 0;
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    const labels = match ? parseLabels(match[2] ?? '') : undefined;
    const value = match ? parseValue(match[3]!) : undefined;
    if (!match || !labels || value === undefined) {
      return `not the Prometheus text format (line ${n + 1}: ${JSON.stringify(line.slice(0, 60))})`;
    }
    samples += 1;
    wanted.get(match[1]!)?.push({ labels, value });
  }
  if (samples === 0) return 'not the Prometheus text format (no sample in the answer)';
  return {
    at,
    requests: wanted.get(names.requests)!,
    buckets: wanted.get(`${names.duration}_bucket`)!,
    sums: wanted.get(`${names.duration}_sum`)!,
    counts: wanted.get(`${names.duration}_count`)!,
  };
}

function parseLabels(text: string): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    if (text.slice(LABEL.lastIndex).trim() === '') break;
    const match = LABEL.exec(text);
    if (!match) return undefined;
    labels[match[1]!] = match[2]!.replace(/\\(.)/g, (_, escaped: string) =>
      escaped === 'n' ? '\n' : escaped,
    );
    if (match[3] === '') break;
  }
  return labels;
}

function parseValue(text: string): number | undefined {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  const value = Number(text);
  return Number.isNaN(value) ? undefined : value;
}
