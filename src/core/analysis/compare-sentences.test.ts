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
