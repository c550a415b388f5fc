import { describe, expect, it } from 'vitest';
import { parseThreshold } from '../policy/threshold.js';
import { FakeClock } from '../time/clock.js';
import type { AnalysisCondition } from './analysis-config.js';
import { describeCondition, evaluateCondition, initialConditionState } from './threshold-judge.js';

const condition: AnalysisCondition = {
  metric: 'error_rate',
  threshold: parseThreshold('> 1%')!,
  forMs: 5 * 60_000,
};

describe('threshold conditions with Prometheus-style `for`', () => {
  it('fires only once a breach has lasted `for`, and a healthy measurement resets it', () => {
    const clock = new FakeClock('2026-03-02T12:00:00Z');
    let state = initialConditionState(condition);
    const step = (value: number) => {
      state = evaluateCondition(
        condition,
        state,
        clock.now().toISOString(),
        { kind: 'value', value },
        500,
      );
      clock.advance(30_000);
      return state.status;
    };
    expect(step(0.02)).toBe('pending'); // 12:00:00, breach starts
    for (let i = 0; i < 9; i++) expect(step(0.02)).toBe('pending'); // up to 12:04:30
    expect(step(0.02)).toBe('failing'); // 12:05:00: five minutes of breach
    expect(state.failures).toBe(1);
    expect(describeCondition(condition, state)).toBe(
      'canary 5xx rate 2.0 % > 1% for 5m (breached since 2026-03-02T12:00:00.000Z; 500 requests)',
    );
    expect(step(0.005)).toBe('ok');
    expect(state.pendingSince).toBeUndefined();
    expect(step(0.02)).toBe('pending'); // a new breach starts over
  });

  it('keeps a pending breach through missing data but breaks the success streak', () => {
    const clock = new FakeClock('2026-03-02T12:00:00Z');
    let state = initialConditionState(condition);
    state = evaluateCondition(condition, state, clock.now().toISOString(), {
      kind: 'value',
      value: 0.02,
    });
    clock.advance(4 * 60_000);
    state = evaluateCondition(condition, state, clock.now().toISOString(), {
      kind: 'missing',
      reason: 'timeout',
    });
    expect(state).toMatchObject({
      status: 'no-data',
      pendingSince: '2026-03-02T12:00:00.000Z',
      successStreak: 0,
    });
    clock.advance(60_000);
    state = evaluateCondition(condition, state, clock.now().toISOString(), {
      kind: 'value',
      value: 0.03,
    });
    expect(state.status).toBe('failing');
  });

  it('fails at the first breach without `for`', () => {
    const now = new FakeClock('2026-03-02T12:00:00Z').now().toISOString();
    const instant = {
      ...condition,
      forMs: 0,
      threshold: parseThreshold('< 99%')!,
      metric: 'availability',
    };
    const state = evaluateCondition(instant, initialConditionState(instant), now, {
      kind: 'value',
      value: 0.97,
    });
    expect(state.status).toBe('failing');
    expect(describeCondition(instant, state)).toBe('canary availability 97.0 % < 99%');
  });
});
