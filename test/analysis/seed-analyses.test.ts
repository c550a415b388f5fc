import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analysisProblems, compileAnalysis } from '../../src/core/analysis/analysis-config.js';
import { loadPolicyFile } from '../../src/core/policy/load-policy.js';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
const seeds = readdirSync(examples).filter((name) => name !== 'sample-app');
const full = { latencyHistogram: true, queries: true };

describe('every analysis in the seed policies compiles for its source', () => {
  it.each(seeds)('%s', async (seed) => {
    const result = await loadPolicyFile(`${examples}${seed}/eclusa.yaml`);
    if (!result.ok) throw new Error(`examples/${seed}/eclusa.yaml is not valid`);
    const analyses = Object.entries(result.policy.analyses ?? {});
    expect(analyses.length).toBeGreaterThan(0);
    for (const [name, document] of analyses) {
      const config = compileAnalysis(name, document, full);
      expect(config.conditions.length + (config.compare ? 1 : 0)).toBeGreaterThan(0);
      expect(config.intervalMs).toBeGreaterThan(0);
    }
  });

  it('reads the seeds the way they speak', async () => {
    const result = await loadPolicyFile(`${examples}auditoria360/eclusa.yaml`);
    if (!result.ok) throw new Error('invalid');
    const config = compileAnalysis(
      'rollback-criteria',
      result.policy.analyses!['rollback-criteria']!,
      full,
    );
    expect(
      config.conditions.map((c) => [c.metric, c.threshold.comparator, c.threshold.value, c.forMs]),
    ).toEqual([
      ['error_rate', '>', 0.05, 0],
      ['latency_avg', '>', 0.5, 300_000],
      ['availability', '<', 0.99, 0],
    ]);
    expect(config).toMatchObject({
      intervalMs: 30_000,
      minRequests: 100,
      inconclusive: 'pause',
      failureLimit: 0,
    });
  });
});

describe('analyses that cannot run are refused with the field and the fix', () => {
  it('names a threshold in the wrong unit', () => {
    const problems = analysisProblems('slow', {
      conditions: [
        { metric: 'latency_p95', failWhen: '> 2' },
        { metric: 'error_rate', failWhen: '> 2s' },
      ],
    });
    expect(problems.map((p) => [p.path.join('.'), p.code])).toEqual([
      ['analyses.slow.conditions.0.failWhen', 'ANALYSIS_UNIT'],
      ['analyses.slow.conditions.1.failWhen', 'ANALYSIS_UNIT'],
    ]);
    expect(problems[0]!.hint).toBe('write the unit, e.g. "> 500ms" or "> 2s"');
  });

  it('refuses quantiles and latency comparison from a source that keeps only averages', () => {
    const haproxy = { latencyHistogram: false, queries: false };
    expect(() =>
      compileAnalysis(
        'lb',
        {
          source: 'haproxy',
          conditions: [{ metric: 'latency_p95', failWhen: '> 2s' }],
          compare: { metrics: ['error_rate', 'latency'] },
        },
        haproxy,
      ),
    ).toThrow(
      'analyses.lb.conditions[0].metric: latency_p95 needs latency buckets, and source haproxy reports only an average; analyses.lb.compare.metrics: comparing latency needs latency buckets',
    );
    expect(
      analysisProblems(
        'lb',
        { conditions: [{ metric: 'latency_avg', failWhen: '> 500ms' }] },
        haproxy,
      ),
    ).toEqual([]);
  });
});
