import { describe, expect, it } from 'vitest';
import { FakeClock } from '../time/clock.js';
import { compileAnalysis } from './analysis-config.js';
import { runAnalysis } from './analysis-loop.js';
import { startAnalysisRun, type AnalysisRunState } from './analysis-run.js';
import {
  inconclusive,
  type MeasureRequest,
  type Measurement,
  type MetricsSource,
} from './metrics-source.js';
import { measurement, window } from './testing/measurements.js';

const sides = {
  canary: { id: 'api-green', version: '2.0.0' },
  stable: { id: 'api-blue', version: '1.0.0' },
};

/** A scripted source (a fake: the real ones run in the adapters' contract suites). */
function scriptedSource(
  clock: FakeClock,
  script: ((at: Date) => Measurement)[],
): MetricsSource & { calls: MeasureRequest[] } {
  const calls: MeasureRequest[] = [];
  return {
    kind: 'scripted',
    capabilities: { latencyHistogram: true, queries: true },
    calls,
    measure: (request) => {
      calls.push(request);
      const next = script.shift();
      if (!next) throw new Error('the script ran out');
      return Promise.resolve(next(clock.now()));
    },
  };
}

const config = compileAnalysis('canary-vs-stable', {
  interval: '5s',
  minRequests: 20,
  compare: { metrics: ['error_rate'], alpha: 0.01, maxDegradation: 0.1 },
});

describe('runAnalysis (fake clock, scripted source)', () => {
  it('measures every interval until the verdict, saving each state', async () => {
    const clock = new FakeClock('2026-03-02T12:00:00Z');
    const healthy = (at: Date) => measurement(at, window(at, 30, 0), window(at, 270, 3));
    const failing = (at: Date) => measurement(at, window(at, 30, 9), window(at, 270, 3));
    const source = scriptedSource(clock, [
      (at) =>
        measurement(
          at,
          inconclusive('NO_WINDOW_YET', 'first'),
          inconclusive('NO_WINDOW_YET', 'first'),
        ),
      healthy,
      failing,
      failing,
    ]);
    const saved: AnalysisRunState[] = [];
    const waits: number[] = [];
    const state = await runAnalysis(startAnalysisRun(config, clock.now()), {
      source,
      sides,
      clock,
      wait: (ms) => {
        waits.push(ms);
        clock.advance(ms);
        return Promise.resolve();
      },
      onState: (next) => {
        saved.push(next);
      },
    });
    expect(state.verdict).toBe('failed');
    expect(state.decidedAt).toBe('2026-03-02T12:00:10.000Z');
    expect(waits).toEqual([5_000, 5_000]);
    expect(saved.map((s) => s.verdict)).toEqual(['running', 'running', 'failed']);
    expect(source.calls[0]).toEqual(sides);
  });

  it('turns a source that throws into an inconclusive reading, never a pass', async () => {
    const clock = new FakeClock('2026-03-02T12:00:00Z');
    const broken: MetricsSource = {
      kind: 'broken',
      capabilities: { latencyHistogram: true, queries: true },
      measure: () => Promise.reject(new Error('socket exploded')),
    };
    const state = await runAnalysis(startAnalysisRun(config, clock.now(), { durationMs: 20_000 }), {
      source: broken,
      sides,
      clock,
      wait: (ms) => {
        clock.advance(ms);
        return Promise.resolve();
      },
    });
    expect(state.verdict).toBe('inconclusive');
    expect(state.lastProblem).toBe(
      'canary: the broken source failed: socket exploded; stable: the broken source failed: socket exploded',
    );
  });

  it('stops when aborted and leaves the run to resume from its state', async () => {
    const clock = new FakeClock('2026-03-02T12:00:00Z');
    const controller = new AbortController();
    const source = scriptedSource(clock, [
      (at) => measurement(at, window(at, 30, 0), window(at, 270, 3)),
    ]);
    const state = await runAnalysis(startAnalysisRun(config, clock.now()), {
      source,
      sides,
      clock,
      signal: controller.signal,
      wait: () => {
        controller.abort();
        return Promise.resolve();
      },
    });
    expect(state.verdict).toBe('running');
    expect(state.measurements).toBe(1);
  });
});
