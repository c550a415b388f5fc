import { describe, expect, it } from 'vitest';
import { DEFAULT_SERIES_NAMES } from '../series-window.js';
import { parseExposition } from './scrape-parse.js';

const at = '2026-03-02T12:00:00Z';

describe('the Prometheus text exposition', () => {
  it('keeps labelled histogram series apart, with their sums and counts', () => {
    const text = [
      '# HELP http_requests_total Requests.',
      '# TYPE http_requests_total counter',
      'http_requests_total{code="200",path="/a \\"quoted\\" \\\\ path"} 12 1700000000000',
      'http_request_duration_seconds_bucket{path="/",le="0.1"} 3',
      'http_request_duration_seconds_bucket{path="/",le="+Inf"} 4',
      'http_request_duration_seconds_sum{path="/"} 0.5',
      'http_request_duration_seconds_count{path="/"} 4',
      'http_request_duration_seconds_bucket{path="/x",le="0.1"} 1',
      'http_request_duration_seconds_bucket{path="/x",le="+Inf",} 2',
      'http_request_duration_seconds_sum{path="/x"} 0.3',
      'http_request_duration_seconds_count{path="/x"} 2',
      'app_version_info{version="1.0.0"} 1',
    ].join('\n');
    const snapshot = parseExposition(text, DEFAULT_SERIES_NAMES, at);
    expect(snapshot).toMatchObject({
      requests: [{ labels: { code: '200', path: '/a "quoted" \\ path' }, value: 12 }],
      sums: [
        { labels: { path: '/' }, value: 0.5 },
        { labels: { path: '/x' }, value: 0.3 },
      ],
      counts: [
        { labels: { path: '/' }, value: 4 },
        { labels: { path: '/x' }, value: 2 },
      ],
    });
    expect((snapshot as { readonly buckets: readonly unknown[] }).buckets).toHaveLength(4);
  });

  it('says which line is not the format', () => {
    expect(parseExposition('<html>\n<body>oops</body>', DEFAULT_SERIES_NAMES, at)).toBe(
      'not the Prometheus text format (line 1: "<html>")',
    );
    expect(parseExposition('# only comments\n', DEFAULT_SERIES_NAMES, at)).toBe(
      'not the Prometheus text format (no sample in the answer)',
    );
    expect(parseExposition('x{a="1" 3', DEFAULT_SERIES_NAMES, at)).toMatch(/line 1/);
  });
});
