import { formatDuration } from '../policy/duration.js';
import type { AnalysisRunState, Verdict } from './analysis-run-state.js';
import { formatCount, metricLabel } from './analysis-words.js';
import { compareHasEnoughData } from './compare-judge.js';
import { describeErrorRate, describeLatency } from './compare-sentences.js';
import { describeCondition } from './threshold-judge.js';

// How a run reaches its verdict once a measurement (or the passing of time) is taken in.

/** After a measurement: fail, stop on a permanent problem, pass early, or look at the time. */
export function decide(
  state: AnalysisRunState,
  at: string,
  permanent: string | undefined,
): AnalysisRunState {
  const { config } = state;
  const failing = config.conditions
    .map((condition, i) => ({ condition, state: state.conditions[i]! }))
    .filter(({ state: condition }) => condition.failures > config.failureLimit);
  const compareFailures = compareFindings(state, 'failed');
  if (failing.length > 0 || compareFailures.length > 0) {
    const limit =
      config.failureLimit > 0 ? ` (more than ${config.failureLimit} failed measurements)` : '';
    return finish(state, 'failed', at, [
      ...failing.map(({ condition, state: s }) => `${describeCondition(condition, s)}${limit}`),
      ...compareFailures,
    ]);
  }
  if (permanent !== undefined) return inconclusive(state, at, [permanent]);

  const cs = config.consecutiveSuccesses;
  const conditionsPass =
    state.conditions.length === 0 ||
    (cs !== undefined && state.conditions.every((condition) => condition.successStreak >= cs));
  const comparePass =
    !state.compare ||
    [state.compare.errorRate, state.compare.latency].every(
      (metric) => metric === undefined || metric.status === 'passed',
    );
  const judgesSomething = state.conditions.length > 0 || state.compare !== undefined;
  if (judgesSomething && conditionsPass && comparePass) {
    return finish(state, 'passed', at, [...conditionFindings(state), ...compareFindings(state)]);
  }
  return checkTime(state, at);
}

export function checkTime(state: AnalysisRunState, at: string): AnalysisRunState {
  if (state.deadline !== undefined && Date.parse(at) >= Date.parse(state.deadline)) {
    return conclude(state, at);
  }
  const quiet = Date.parse(at) - Date.parse(state.lastDataAt);
  if (quiet >= state.config.staleAfterMs) {
    const why = state.lastProblem ?? 'no requests reached the canary';
    return inconclusive(state, at, [`no usable data for ${formatDuration(quiet)}: ${why}`]);
  }
  return state;
}

export function conclude(state: AnalysisRunState, at: string, reason?: string): AnalysisRunState {
  const { config } = state;
  const missing: string[] = [];
  config.conditions.forEach((condition, i) => {
    const condState = state.conditions[i]!;
    if (condState.evaluations > 0) return;
    const requests = state.pool?.requests ?? 0;
    const why =
      condition.query === undefined &&
      requests < config.minRequests &&
      condState.lastReason === undefined
        ? `${formatCount(requests)} requests, fewer than minRequests ${formatCount(config.minRequests)}`
        : (condState.lastReason ?? state.lastProblem ?? 'no data');
    missing.push(`canary ${metricLabel(condition.metric)}: never measured (${why})`);
  });
  if (state.compare && !compareHasEnoughData(state.compare, config.minRequests)) {
    missing.push(
      `comparison: fewer than minRequests ${formatCount(config.minRequests)} requests on a side (${compareFindings(state).join('; ') || 'no data'})`,
    );
  }
  if (state.conditions.length === 0 && !state.compare) missing.push('the analysis judges nothing');
  if (missing.length > 0) return inconclusive(state, at, missing);
  const ended = reason ? `window ended (${reason})` : 'window ended';
  return finish(state, 'passed', at, [
    ended,
    ...conditionFindings(state),
    ...compareFindings(state),
  ]);
}

function conditionFindings(state: AnalysisRunState): string[] {
  return state.config.conditions.map((condition, i) =>
    describeCondition(condition, state.conditions[i]!),
  );
}

function compareFindings(state: AnalysisRunState, only?: 'failed'): string[] {
  const compare = state.compare;
  const config = state.config.compare;
  if (!compare || !config) return [];
  const findings: string[] = [];
  if (compare.errorRate && (!only || compare.errorRate.status === only)) {
    findings.push(describeErrorRate(compare.errorRate, config));
  }
  if (compare.latency && (!only || compare.latency.status === only)) {
    findings.push(describeLatency(compare.latency, config));
  }
  return findings;
}

function inconclusive(state: AnalysisRunState, at: string, findings: string[]): AnalysisRunState {
  // Missing data is never a pass: it pauses the deployment, or fails it when the policy says so.
  if (state.config.inconclusive === 'fail') {
    return finish(state, 'failed', at, [
      'inconclusive, and the analysis fails on that',
      ...findings,
    ]);
  }
  return finish(state, 'inconclusive', at, findings);
}

function finish(
  state: AnalysisRunState,
  verdict: Exclude<Verdict, 'running'>,
  at: string,
  findings: string[],
): AnalysisRunState {
  return {
    ...state,
    verdict,
    decidedAt: at,
    findings,
    summary: `analysis ${state.config.name} ${verdict}: ${findings.join('; ')}`,
  };
}
