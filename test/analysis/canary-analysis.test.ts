import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ScrapeMetricsSource } from '../../src/adapters/metrics/scrape/scrape-metrics-source.js';
import { compileAnalysis, type AnalysisDocument } from '../../src/core/analysis/analysis-config.js';
import { runAnalysis } from '../../src/core/analysis/analysis-loop.js';
import { startAnalysisRun, type AnalysisRunState } from '../../src/core/analysis/analysis-run.js';
import { systemClock } from '../../src/core/time/clock.js';
import { startTraffic } from '../support/http-load.js';
import { startSampleApp, type RestartableSampleApp } from '../support/restartable-sample-app.js';

// The analysis end to end against real sample apps: their own /metrics, read every 500 ms
// while real traffic flows, with the fault knobs making the canary fail or not.

const running: RestartableSampleApp[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.stop()));
});

async function apps(canaryEnv: Record<string, string>) {
  const [stable, canary] = await Promise.all([
    startSampleApp({ APP_VERSION: '1.0.0', FAULT_ERROR_RATE: '0.01' }),
    startSampleApp({ APP_VERSION: '2.0.0', ...canaryEnv }),
  ]);
  running.push(stable, canary);
  return { stable, canary };
}

const sidesOf = (stable: RestartableSampleApp, canary: RestartableSampleApp) => ({
  stable: { id: 'api-blue', version: '1.0.0', endpoint: stable.endpoint },
  canary: { id: 'api-green', version: '2.0.0', endpoint: canary.endpoint },
});

/** Runs the analysis over live traffic (about 120 req/s to stable, 40 to the canary). */
async function analyse(
  document: AnalysisDocument,
  stable: RestartableSampleApp,
  canary: RestartableSampleApp,
  durationMs: number,
  traffic = true,
): Promise<{ state: AnalysisRunState; states: AnalysisRunState[] }> {
  const config = compileAnalysis('canary-check', document);
  const generators = traffic
    ? [
        startTraffic(`${stable.url}/api/hello`, 120, 30_000),
        startTraffic(`${canary.url}/api/hello`, 40, 30_000),
      ]
    : [];
  const states: AnalysisRunState[] = [];
  try {
    const state = await runAnalysis(startAnalysisRun(config, systemClock.now(), { durationMs }), {
      source: new ScrapeMetricsSource({ clock: systemClock }),
      sides: sidesOf(stable, canary),
      clock: systemClock,
      wait: (ms, signal) => delay(ms, undefined, signal ? { signal } : {}).catch(() => undefined),
      onState: (next) => {
        // What the engine would persist: it must survive JSON.
        states.push(JSON.parse(JSON.stringify(next)) as AnalysisRunState);
      },
    });
    return { state, states };
  } finally {
    await Promise.all(generators.map((generator) => generator.stop()));
  }
}

const compare: AnalysisDocument = {
  interval: '500ms',
  minRequests: 50,
  compare: { metrics: ['error_rate', 'latency'], maxDegradation: 0.1, alpha: 0.001 },
};

describe('canary analysis against the real sample app', () => {
  it('catches a 5xx regression within a few measurements, and says why', async () => {
    const { stable, canary } = await apps({ FAULT_ERROR_RATE: '0.2' });
    const { state, states } = await analyse(compare, stable, canary, 30_000);
    expect(state.verdict).toBe('failed');
    // The first measurement only opens the window; a handful more decide.
    expect(state.measurements).toBeLessThanOrEqual(8);
    expect(state.summary).toMatch(
      /canary 5xx \d+\.\d % vs baseline \d+(\.\d)? %, [\d,]+ canary requests, p < 0\.001: worse than baseline by more than the 10 % allowed/,
    );
    expect(states.at(-1)).toEqual(JSON.parse(JSON.stringify(state)));
    expect(state.points.length).toBe(state.measurements);
  });

  it('does not flag a healthy canary with the same error rate', async () => {
    const { stable, canary } = await apps({ FAULT_ERROR_RATE: '0.01' });
    const { state } = await analyse(compare, stable, canary, 6_000);
    expect(state.verdict).toBe('passed');
    expect(state.summary).toMatch(/window ended; canary 5xx .* vs baseline/);
    expect(state.compare?.errorRate?.canary.requests).toBeGreaterThan(100);
  });

  it('catches a slow canary by rank, with the quantiles in words', async () => {
    const { stable, canary } = await apps({ FAULT_LATENCY_MS: '120' });
    const { state } = await analyse(compare, stable, canary, 30_000);
    expect(state.verdict).toBe('failed');
    expect(state.summary).toMatch(/canary latency p50 \d+ ms, p95 \d+ ms vs baseline p50 \d+ ms/);
  });

  it('fails a threshold condition at once when the errors already settle it', async () => {
    const { stable, canary } = await apps({ FAULT_ERROR_RATE: '0.5' });
    const { state } = await analyse(
      {
        interval: '500ms',
        minRequests: 100,
        conditions: [{ metric: 'error_rate', failWhen: '> 5%' }],
      },
      stable,
      canary,
      30_000,
    );
    expect(state.verdict).toBe('failed');
    expect(state.measurements).toBeLessThanOrEqual(4);
    expect(state.summary).toMatch(/canary 5xx rate \d+\.\d % > 5%/);
  });

  const sprt: AnalysisDocument = {
    interval: '500ms',
    minRequests: 50,
    compare: { metrics: ['error_rate'], maxDegradation: 0.1, alpha: 0.001, test: 'sprt' },
  };

  it('with test: sprt, fails a 5xx regression and names the test in the sentence', async () => {
    const { stable, canary } = await apps({ FAULT_ERROR_RATE: '0.2' });
    const { state } = await analyse(sprt, stable, canary, 30_000);
    expect(state.verdict).toBe('failed');
    expect(state.measurements).toBeLessThanOrEqual(8);
    expect(state.summary).toMatch(
      /canary 5xx \d+\.\d % vs baseline \d+(\.\d)? %, [\d,]+ canary requests: worse than baseline by more than the 10 % allowed \(SPRT, α 0\.1 %, power 90 %, likelihood ratio [\d,]+\)$/,
    );
  });

  it('with test: sprt, passes a canary without errors before the window ends', async () => {
    const { stable, canary } = await apps({ FAULT_ERROR_RATE: '0' });
    const { state } = await analyse(sprt, stable, canary, 30_000);
    expect(state.verdict).toBe('passed');
    expect(state.summary).not.toContain('window ended');
    expect(state.summary).toMatch(
      /canary 5xx 0 % vs baseline \d+(\.\d)? %, [\d,]+ canary requests: no degradation of 100 % or more \(SPRT, α 0\.1 %, power 90 %\)$/,
    );
  });

  it('is inconclusive, never passed, when no traffic reaches the canary', async () => {
    const { stable, canary } = await apps({});
    const { state } = await analyse(compare, stable, canary, 2_500, false);
    expect(state.verdict).toBe('inconclusive');
    expect(state.summary).toContain('fewer than minRequests 50 requests on a side');
  });

  it('is inconclusive when the canary cannot be read', async () => {
    const { stable, canary } = await apps({});
    await canary.stop();
    const { state } = await analyse(compare, stable, canary, 2_500);
    expect(state.verdict).toBe('inconclusive');
    expect(state.lastProblem).toMatch(
      /canary: api-green http:\/\/127\.0\.0\.1:\d+\/metrics is unreachable/,
    );
  });
});
