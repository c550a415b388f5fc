import { describe, expect, it } from 'vitest';
import { compileAnalysis } from './analysis-config.js';
import { initialCompareState, updateCompare } from './compare-judge.js';
import { describeErrorRate } from './compare-sentences.js';
import type { SideWindow } from './metrics-source.js';

const window = (requests: number, errors: number): SideWindow => ({
  from: '2026-01-01T00:00:00.000Z',
  to: '2026-01-01T00:00:01.000Z',
  requests,
  errors,
});

describe("the SPRT's sentences say what it showed", () => {
  const config = compileAnalysis('judge', {
    compare: { metrics: ['error_rate'], maxDegradation: 0.1, test: 'sprt', detect: 1.5 },
  }).compare!;

  it('while undecided: the likelihood ratio and both boundaries', () => {
    const state = updateCompare(
      config,
      initialCompareState(config),
      window(200, 3),
      window(1_800, 20),
      100,
    );
    expect(state.errorRate?.status).toBe('continue');
    expect(describeErrorRate(state.errorRate!, config)).toMatch(
      /^canary 5xx 1\.5 % vs baseline 1\.1 %, 200 canary requests, undecided \(SPRT, α 1 %, power 90 %: likelihood ratio [\d.]+ for \+150 % against \+10 %; fails at 100, passes at 0\.1\)$/,
    );
  });

  it('on an early pass: only that no degradation as large as detect is there', () => {
    let state = initialCompareState(config);
    for (let k = 0; k < 20 && state.errorRate?.status !== 'passed'; k++) {
      state = updateCompare(config, state, window(200, 1), window(1_800, 18), 100);
    }
    expect(state.errorRate?.status).toBe('passed');
    expect(describeErrorRate(state.errorRate!, config)).toMatch(
      /: no degradation of 150 % or more \(SPRT, α 1 %, power 90 %\)$/,
    );
  });

  it('keeps a pass from fewer requests than minRequests', () => {
    const state = updateCompare(
      config,
      initialCompareState(config),
      window(20, 0),
      window(180, 40),
      100,
    );
    expect(state.errorRate?.sprt?.logRatio).toBeLessThan(Math.log(0.1));
    expect(state.errorRate?.status).toBe('continue');
  });
});

describe('the SPRT with corrected boundaries', () => {
  const compile = (boundaries: 'exact' | 'corrected') =>
    compileAnalysis('judge', {
      compare: { metrics: ['error_rate'], maxDegradation: 0, test: 'sprt', boundaries },
    }).compare!;
  const exact = compile('exact');
  const corrected = compile('corrected');

  it('fails sooner on the same windows: its boundary is below 1/α', () => {
    // Two windows with a baseline error (−0.095 each), then one canary error a window
    // (+0.598 each): after eight, ln 98.6 — past the corrected boundary, short of ln 100.
    let [a, b] = [initialCompareState(exact), initialCompareState(corrected)];
    for (let k = 0; k < 100 && b.errorRate?.status === 'continue'; k++) {
      const [canary, stable] =
        k < 2 ? [window(20, 0), window(180, 1)] : [window(20, 1), window(180, 0)];
      a = updateCompare(exact, a, canary, stable, 50);
      b = updateCompare(corrected, b, canary, stable, 50);
    }
    expect(b.errorRate?.status).toBe('failed');
    expect(a.errorRate?.status).toBe('continue');
    expect(a.errorRate?.sprt?.logRatio).toBe(b.errorRate?.sprt?.logRatio);
    expect(b.errorRate?.sprt?.logRatio).toBeLessThan(Math.log(100));
    expect(describeErrorRate(b.errorRate!, corrected)).toMatch(
      /: worse than baseline \(SPRT, α 1 %, power 90 %, overshoot-corrected boundaries, likelihood ratio \d+\)$/,
    );
  });

  it('says so, with the boundaries it is judged against', () => {
    const config = compileAnalysis('judge', {
      compare: {
        metrics: ['error_rate'],
        maxDegradation: 0.1,
        test: 'sprt',
        detect: 1.5,
        boundaries: 'corrected',
      },
    }).compare!;
    expect(describeErrorRate(initialCompareState(config).errorRate!, config)).toMatch(
      /undecided \(SPRT, α 1 %, power 90 %, overshoot-corrected boundaries: likelihood ratio 1 for \+150 % against \+10 %; fails at 90, passes at 0\.1\)$/,
    );
    const state = updateCompare(
      config,
      initialCompareState(config),
      window(200, 3),
      window(1_800, 20),
      100,
    );
    // 20 baseline errors a window outweigh a canary error: no overshoot left to correct for,
    // Wald's 0.9 / 1 %.
    expect(describeErrorRate(state.errorRate!, config)).toMatch(
      /, undecided \(SPRT, α 1 %, power 90 %, overshoot-corrected boundaries: likelihood ratio [\d.]+ for \+150 % against \+10 %; fails at 90, passes at 0\.1\)$/,
    );
  });
});
