import { describe, expect, it } from 'vitest';
import { validatePolicyText } from '../load-policy.js';
import { lineOf, withReplaced } from '../../../../test/policy/policy-fixture.js';

/** The init template's `health` analysis with its lines replaced. */
function withAnalysis(lines: string): string {
  return withReplaced(
    `  health:
    interval: 10s
    conditions:
      - metric: error_rate
        failWhen: "> 1%"
        for: 2m
      - metric: latency_p95
        failWhen: "> 2s"
        for: 2m`,
    `  health:\n${lines}`,
  );
}

describe('analysis rule', () => {
  it('accepts an analysis its source can run', () => {
    expect(
      validatePolicyText(
        'eclusa.yaml',
        withAnalysis(
          '    interval: 10s\n    conditions:\n      - { metric: error_rate, failWhen: "> 1%" }',
        ),
      ).errors,
    ).toEqual([]);
  });

  it('refuses a threshold in the wrong unit, at the failWhen line, before any deploy', () => {
    const text = withAnalysis(
      '    conditions:\n      - metric: error_rate\n        failWhen: "> 2s"\n      - metric: throughput\n        failWhen: "< 5%"',
    );
    const result = validatePolicyText('eclusa.yaml', text);
    expect(result.ok).toBe(false);
    expect(result.errors).toMatchObject([
      {
        code: 'ANALYSIS_UNIT',
        line: lineOf(text, 'failWhen: "> 2s"'),
        path: 'analyses.health.conditions[0].failWhen',
        message: 'error_rate is a share of requests, and "> 2s" is not',
      },
      {
        code: 'ANALYSIS_UNIT',
        line: lineOf(text, 'failWhen: "< 5%"'),
        hint: 'write a plain number such as "< 10"',
      },
    ]);
  });

  it('refuses quantiles and a latency comparison on HAProxy, which keeps only an average', () => {
    const text = withAnalysis(
      '    source: haproxy\n    conditions:\n      - metric: latency_p95\n        failWhen: "> 2s"\n    compare: { metrics: [error_rate, latency] }',
    );
    const result = validatePolicyText('eclusa.yaml', text);
    expect(result.errors.map((e) => [e.code, e.path, e.line])).toEqual([
      [
        'ANALYSIS_UNSUPPORTED',
        'analyses.health.conditions[0].metric',
        lineOf(text, 'metric: latency_p95'),
      ],
      ['ANALYSIS_UNSUPPORTED', 'analyses.health.compare.metrics', lineOf(text, 'compare:')],
    ]);
    // The same analysis on the scrape source is fine.
    expect(
      validatePolicyText('eclusa.yaml', text.replace('source: haproxy', 'source: scrape')).errors,
    ).toEqual([]);
  });

  it('reports a query on a source without queries once, as QUERY_NEEDS_PROMETHEUS', () => {
    const text = withAnalysis(
      '    conditions:\n      - metric: custom\n        query: sum(up)\n        failWhen: "> 1"',
    );
    expect(validatePolicyText('eclusa.yaml', text).errors.map((e) => e.code)).toEqual([
      'QUERY_NEEDS_PROMETHEUS',
    ]);
  });
});
