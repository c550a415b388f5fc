import { formatDuration } from '../policy/duration.js';
import { breaches } from '../policy/threshold.js';
import type { AnalysisCondition } from './analysis-config.js';
import { formatCount, formatMetricValue, metricLabel } from './analysis-words.js';
import type { MetricValue } from './side-metrics.js';

/**
 * One threshold condition over time, with the `for` of Prometheus alerting rules: a breach
 * is *pending* from the first measurement that breaches; it *fires* — a failed measurement
 * — at a measurement that breaches while the breach has lasted at least `for`. A
 * measurement that does not breach resets it. A measurement without data neither resets
 * nor advances it (missing data is no evidence of health), but breaks a success streak.
 */
export type ConditionStatus = 'waiting' | 'ok' | 'pending' | 'failing' | 'no-data';

export interface ConditionState {
  readonly metric: string;
  readonly status: ConditionStatus;
  readonly pendingSince?: string;
  /** Measurements that fired. */
  readonly failures: number;
  /** Consecutive measurements that did not breach. */
  readonly successStreak: number;
  /** Measurements that had data. */
  readonly evaluations: number;
  readonly lastValue?: number;
  readonly lastAt?: string;
  /** Requests behind the last value, for built-in metrics. */
  readonly lastRequests?: number;
  /** Why the last measurement had no data. */
  readonly lastReason?: string;
}

export function initialConditionState(condition: AnalysisCondition): ConditionState {
  return {
    metric: condition.metric,
    status: 'waiting',
    failures: 0,
    successStreak: 0,
    evaluations: 0,
  };
}

export function evaluateCondition(
  condition: AnalysisCondition,
  state: ConditionState,
  at: string,
  value: MetricValue,
  requests?: number,
): ConditionState {
  if (value.kind === 'missing') {
    const { lastRequests: _dropped, ...rest } = state;
    return { ...rest, status: 'no-data', successStreak: 0, lastReason: value.reason, lastAt: at };
  }
  const measured = {
    evaluations: state.evaluations + 1,
    lastValue: value.value,
    lastAt: at,
    ...(requests !== undefined ? { lastRequests: requests } : {}),
  };
  const base = { metric: state.metric, failures: state.failures };
  if (!breaches(condition.threshold, value.value)) {
    return { ...base, ...measured, status: 'ok', successStreak: state.successStreak + 1 };
  }
  const pendingSince = state.pendingSince ?? at;
  const fires = Date.parse(at) - Date.parse(pendingSince) >= condition.forMs;
  return {
    ...base,
    ...measured,
    pendingSince,
    status: fires ? 'failing' : 'pending',
    failures: state.failures + (fires ? 1 : 0),
    successStreak: 0,
  };
}

/** "canary p95 latency 2.40 s > 2s for 5m (breached since 12:00:00Z; 1,240 requests)". */
export function describeCondition(
  condition: AnalysisCondition,
  state: ConditionState,
  subject = 'canary',
): string {
  const label = `${subject} ${metricLabel(condition.metric)}`;
  if (state.lastValue === undefined) {
    return `${label}: no data${state.lastReason ? ` (${state.lastReason})` : ''}`;
  }
  const value = formatMetricValue(state.lastValue, condition.threshold, condition.metric);
  const requests =
    state.lastRequests !== undefined ? `${formatCount(state.lastRequests)} requests` : undefined;
  switch (state.status) {
    case 'failing':
    case 'pending': {
      const lasting = condition.forMs > 0 ? ` for ${formatDuration(condition.forMs)}` : '';
      const since =
        condition.forMs > 0 && state.pendingSince ? `breached since ${state.pendingSince}` : '';
      const extra = [since, requests].filter(Boolean).join('; ');
      const verb = state.status === 'pending' ? ' (pending)' : '';
      return `${label} ${value} ${condition.threshold.text}${lasting}${verb}${extra ? ` (${extra})` : ''}`;
    }
    default:
      return `${label} ${value} (fails when ${condition.threshold.text}${requests ? `; ${requests}` : ''})`;
  }
}
