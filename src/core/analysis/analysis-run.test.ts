import { describe, expect, it } from 'vitest';
import { FakeClock } from '../time/clock.js';
import { compileAnalysis, type AnalysisDocument } from './analysis-config.js';
import {
  advanceAnalysisRun,
  analysisQueries,
  startAnalysisRun,
  type AnalysisEvent,
  type AnalysisRunState,
} from './analysis-run.js';
import { inconclusive } from './metrics-source.js';
import { measurement, window } from './testing/measurements.js';

const START = '2026-03-02T12:00:00Z';

function run(document: AnalysisDocument, durationMs?: number) {
  const clock = new FakeClock(START);
  const config = compileAnalysis('checks', document);
  let state = startAnalysisRun(config, clock.now(), durationMs === undefined ? {} : { durationMs });
  const apply = (event: AnalysisEvent): AnalysisRunState =>
    (state = advanceAnalysisRun(state, event));
  /** One measurement `intervalMs` after the previous. */
  const measure = (
    canary: Parameters<typeof measurement>[1],
    stable?: Parameters<typeof measurement>[2],
    queries = {},
  ) => {
    clock.advance(config.intervalMs);
    return apply({
      kind: 'measurement',
      measurement: measurement(clock.now(), canary, stable, queries),
    });
  };
  return { clock, measure, apply, state: () => state };
}

describe('AnalysisRun: threshold conditions', () => {
  const errorRate: AnalysisDocument = {
    interval: '10s',
    minRequests: 100,
    conditions: [{ metric: 'error_rate', failWhen: '> 5%' }],
  };

  it('merges windows below minRequests and judges them together', () => {
    const { measure, clock } = run(errorRate);
    expect(measure(window(clock.now(), 40, 3)).pool?.requests).toBe(40);
    const state = measure(window(clock.now(), 70, 2));
    expect(state.pool).toBeUndefined();
    expect(state.conditions[0]).toMatchObject({ status: 'ok', lastValue: 5 / 110, evaluations: 1 });
    expect(state.verdict).toBe('running');
    expect(state.points).toHaveLength(2);
  });

  it('fails before minRequests when the errors already settle the breach', () => {
    const { measure, clock } = run(errorRate);
    const state = measure(window(clock.now(), 20, 10));
    expect(state.verdict).toBe('failed');
    expect(state.summary).toBe('analysis checks failed: canary 5xx rate 50.0 % > 5% (20 requests)');
    expect(state.decidedAt).toBe('2026-03-02T12:00:10.000Z');
  });

  it('tolerates failureLimit failed measurements', () => {
    const { measure, clock } = run({ ...errorRate, failureLimit: 2 });
    expect(measure(window(clock.now(), 100, 10)).verdict).toBe('running');
    expect(measure(window(clock.now(), 100, 1)).verdict).toBe('running');
    expect(measure(window(clock.now(), 100, 10)).verdict).toBe('running');
    const state = measure(window(clock.now(), 100, 10));
    expect(state.verdict).toBe('failed');
    expect(state.summary).toContain('(more than 2 failed measurements)');
  });

  it('passes early after consecutiveSuccesses, or at the deadline otherwise', () => {
    const early = run({ ...errorRate, consecutiveSuccesses: 3 });
    early.measure(window(early.clock.now(), 100, 1));
    early.measure(window(early.clock.now(), 100, 1));
    expect(early.measure(window(early.clock.now(), 100, 1)).verdict).toBe('passed');

    const timed = run(errorRate, 30_000);
    timed.measure(window(timed.clock.now(), 100, 1));
    timed.measure(window(timed.clock.now(), 100, 1));
    const state = timed.measure(window(timed.clock.now(), 100, 1));
    expect(state.verdict).toBe('passed');
    expect(state.summary).toBe(
      'analysis checks passed: window ended; canary 5xx rate 1.0 % (fails when > 5%; 100 requests)',
    );
  });

  it('applies `for` across measurements', () => {
    const { measure, clock } = run({
      interval: '1m',
      minRequests: 10,
      conditions: [{ metric: 'latency_p95', failWhen: '> 2s', for: '5m' }],
    });
    const slow = { bounds: [1, 2.5, 5], counts: [0, 0, 20, 0] };
    for (let minute = 1; minute <= 5; minute++) {
      expect(measure(window(clock.now(), 20, 0, { histogram: slow })).verdict).toBe('running');
    }
    const state = measure(window(clock.now(), 20, 0, { histogram: slow }));
    expect(state.verdict).toBe('failed');
    expect(state.summary).toMatch(
      /canary p95 latency 4\.88 s > 2s for 5m \(breached since 2026-03-02T12:01:00\.000Z/,
    );
  });
});

describe('AnalysisRun: missing data is never a pass', () => {
  const doc: AnalysisDocument = {
    interval: '10s',
    minRequests: 50,
    conditions: [{ metric: 'error_rate', failWhen: '> 5%' }],
  };

  it('ignores the first reading that only opens a window', () => {
    const { measure, clock } = run(doc);
    const opening = inconclusive('NO_WINDOW_YET', 'first reading');
    const state = measure(opening);
    expect(state.lastProblem).toBeUndefined();
    expect(state.points[0]).toEqual({ at: clock.now().toISOString() });
  });

  it('is inconclusive at the deadline with too few requests, and says how many', () => {
    const { measure, clock } = run(doc, 20_000);
    measure(window(clock.now(), 10, 0));
    const state = measure(window(clock.now(), 5, 0));
    expect(state.verdict).toBe('inconclusive');
    expect(state.summary).toBe(
      'analysis checks inconclusive: canary 5xx rate: never measured (15 requests, fewer than minRequests 50)',
    );
  });

  it('fails instead when the analysis says inconclusive: fail', () => {
    const { measure, clock } = run({ ...doc, inconclusive: 'fail' }, 10_000);
    const state = measure(window(clock.now(), 0, 0));
    expect(state.verdict).toBe('failed');
    expect(state.summary).toMatch(
      /^analysis checks failed: inconclusive, and the analysis fails on that;/,
    );
  });

  it('is inconclusive once no usable data came for staleAfterMs', () => {
    const { measure, apply, clock } = run(doc);
    for (let i = 0; i < 5; i++)
      measure(inconclusive('TIMEOUT', 'api-green did not answer within 2000 ms'));
    expect(
      apply({ kind: 'tick', at: new Date(clock.now().getTime() + 5_000).toISOString() }).verdict,
    ).toBe('running');
    const state = apply({
      kind: 'tick',
      at: new Date(clock.now().getTime() + 10_000).toISOString(),
    });
    expect(state.verdict).toBe('inconclusive');
    expect(state.summary).toBe(
      'analysis checks inconclusive: no usable data for 1m: canary: api-green did not answer within 2000 ms',
    );
  });

  it('stops at once on a problem waiting cannot fix', () => {
    const custom = run({
      source: 'prometheus',
      prometheusUrl: 'http://prometheus:9090',
      interval: '10s',
      conditions: [{ metric: 'backlog', query: 'sum(backlog', failWhen: '> 80' }],
    });
    expect(analysisQueries(custom.state().config)).toEqual([
      { name: 'backlog', query: 'sum(backlog' },
    ]);
    const state = custom.measure(window(custom.clock.now(), 10, 0), undefined, {
      backlog: inconclusive(
        'QUERY_INVALID',
        'Prometheus: bad_data: 1:12: parse error: unclosed left parenthesis',
      ),
    });
    expect(state.verdict).toBe('inconclusive');
    expect(state.summary).toContain('backlog: Prometheus: bad_data: 1:12: parse error');
  });

  it('treats a window that cannot be true as garbage', () => {
    const { measure, clock } = run(doc);
    const state = measure(window(clock.now(), 10, 30));
    expect(state.lastProblem).toBe('canary: nonsense window (30 errors out of 10 requests)');
    expect(state.pool).toBeUndefined();
  });
});

describe('AnalysisRun: comparison and persistence', () => {
  const compare: AnalysisDocument = {
    interval: '1s',
    minRequests: 50,
    compare: { metrics: ['error_rate'], maxDegradation: 0.1, alpha: 0.01 },
  };

  it('fails a canary clearly worse than its baseline, in words', () => {
    const { measure, clock } = run(compare);
    const state = measure(window(clock.now(), 40, 8), window(clock.now(), 360, 4));
    expect(state.verdict).toBe('failed');
    expect(state.summary).toBe(
      'analysis checks failed: canary 5xx 20.0 % vs baseline 1.1 %, 40 canary requests, p < 0.001: worse than baseline by more than the 10 % allowed',
    );
  });

  it('gives the same verdict when resumed from its saved JSON after every step', () => {
    const straight = run(compare, 60_000);
    const resumed = run(compare, 60_000);
    let saved = JSON.stringify(resumed.state());
    for (let k = 0; k < 30; k++) {
      const canary = window(straight.clock.now(), 20, k % 7 === 0 ? 1 : 0, { seconds: 1 });
      const stable = window(straight.clock.now(), 180, k % 3 === 0 ? 2 : 1, { seconds: 1 });
      straight.measure(canary, stable);
      resumed.clock.advance(1_000);
      const at = resumed.clock.now();
      const restored = JSON.parse(saved) as AnalysisRunState;
      const next = advanceAnalysisRun(restored, {
        kind: 'measurement',
        measurement: measurement(at, canary, stable),
      });
      saved = JSON.stringify(next);
    }
    expect(JSON.parse(saved)).toEqual(JSON.parse(JSON.stringify(straight.state())));
  });

  it('concludes on request with what it knows', () => {
    const { measure, apply, clock } = run(compare);
    measure(window(clock.now(), 100, 1), window(clock.now(), 900, 9));
    const state = apply({
      kind: 'conclude',
      at: clock.now().toISOString(),
      reason: 'promoted by ana',
    });
    expect(state.verdict).toBe('passed');
    expect(state.summary).toMatch(
      /^analysis checks passed: window ended \(promoted by ana\); canary 5xx 1\.0 % vs baseline 1\.0 %/,
    );
    expect(advanceAnalysisRun(state, { kind: 'tick', at: clock.now().toISOString() })).toBe(state);
  });

  it('needs a stable side to compare with', () => {
    const { measure, clock } = run(compare);
    const state = measure(window(clock.now(), 100, 1));
    expect(state.verdict).toBe('inconclusive');
    expect(state.summary).toContain('no stable reading');
  });
});
