/**
 * The CSV of `show stat` (HAProxy management guide, "CSV format"): a `# pxname,svname,…`
 * header, then one row per frontend, backend and server. Columns are found by name, since
 * versions add fields.
 */
export type StatRow = Readonly<Record<string, string>>;

export function parseShowStat(text: string): StatRow[] | string {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const header = lines[0];
  if (!header?.startsWith('# pxname,svname')) {
    return `not the CSV of "show stat" (first line: ${JSON.stringify(header?.slice(0, 60) ?? '')})`;
  }
  const names = header.slice(2).split(',');
  return lines.slice(1).map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(names.map((name, i) => [name, cells[i] ?? '']));
  });
}

/** Counters of one server that a window needs. */
export interface ServerCounters {
  readonly at: string;
  /** hrsp_1xx … hrsp_5xx, hrsp_other, econ, eresp, in that order. */
  readonly counters: readonly number[];
  /** `rtime`: average response time in ms over the server's last 1024 requests. */
  readonly rtimeMs: number | undefined;
}

export const COUNTERS = [
  'hrsp_1xx',
  'hrsp_2xx',
  'hrsp_3xx',
  'hrsp_4xx',
  'hrsp_5xx',
  'hrsp_other',
  'econ',
  'eresp',
] as const;

export function serverCounters(row: StatRow, at: string): ServerCounters | string {
  const counters = COUNTERS.map((name) => Number(row[name] === '' ? 0 : row[name]));
  const bad = counters.findIndex((value) => !Number.isFinite(value) || value < 0);
  if (bad !== -1) return `${COUNTERS[bad]} is ${JSON.stringify(row[COUNTERS[bad]!])}`;
  const rtime =
    row['rtime'] === undefined || row['rtime'] === '' ? undefined : Number(row['rtime']);
  return { at, counters, rtimeMs: Number.isFinite(rtime) ? rtime : undefined };
}
