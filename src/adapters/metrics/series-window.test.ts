import { describe, expect, it } from 'vitest';
import { cleanSnapshot, windowBetween, type SeriesSnapshot } from './series-window.js';

const snapshot = (
  at: string,
  ok: number,
  failed: number,
  fast: number,
  slow: number,
): SeriesSnapshot => ({
  at,
  requests: [
    { labels: { code: '200', path: '/api/hello' }, value: ok },
    ...(failed > 0 ? [{ labels: { code: '500', path: '/api/hello' }, value: failed }] : []),
    { labels: { code: '200', path: '/metrics' }, value: 99 },
  ],
  buckets: [
    { labels: { path: '/api/hello', le: '0.1' }, value: fast },
    { labels: { path: '/api/hello', le: '1' }, value: fast + slow },
    { labels: { path: '/api/hello', le: '+Inf' }, value: fast + slow },
  ],
  sums: [{ labels: { path: '/api/hello' }, value: fast * 0.05 + slow * 0.5 }],
  counts: [{ labels: { path: '/api/hello' }, value: fast + slow }],
});

const clean = (s: SeriesSnapshot) => cleanSnapshot(s, ['/metrics']) as SeriesSnapshot;

describe('windows from counter deltas', () => {
  it('counts requests, 5xx (a new series counts from zero) and the latency histogram', () => {
    const window = windowBetween(
      clean(snapshot('2026-03-02T12:00:00Z', 100, 0, 80, 20)),
      clean(snapshot('2026-03-02T12:00:10Z', 150, 5, 120, 35)),
    );
    expect(window).toEqual({
      from: '2026-03-02T12:00:00Z',
      to: '2026-03-02T12:00:10Z',
      requests: 55,
      errors: 5,
      latency: {
        observations: 55,
        meanSeconds: (40 * 0.05 + 15 * 0.5) / 55,
        histogram: { bounds: [0.1, 1], counts: [40, 15, 0] },
      },
    });
  });

  it('takes a counter that went down as a restart: the new value is the increase', () => {
    const window = windowBetween(
      clean(snapshot('2026-03-02T12:00:00Z', 1_000, 10, 900, 100)),
      clean(snapshot('2026-03-02T12:00:10Z', 30, 2, 25, 7)),
    );
    expect(window).toMatchObject({ requests: 32, errors: 2, latency: { observations: 32 } });
  });

  it('refuses counters that are not counts', () => {
    const broken = {
      ...snapshot('2026-03-02T12:00:00Z', 1, 0, 1, 0),
      counts: [{ labels: {}, value: NaN }],
    };
    expect(cleanSnapshot(broken, [])).toBe('a counter has the value NaN');
  });
});
