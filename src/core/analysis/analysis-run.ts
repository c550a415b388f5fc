import { formatDuration } from '../policy/duration.js';
import { breaches } from '../policy/threshold.js';
import type { AnalysisCondition, AnalysisConfig } from './analysis-config.js';
import { formatCount, metricLabel } from './analysis-words.js';
import {
  compareHasEnoughData,
  describeErrorRate,
  describeLatency,
  initialCompareState,
  updateCompare,
  type CompareState,
} from './compare-judge.js';
import { appendPoint, evidencePoint, type EvidencePoint } from './evidence-point.js';
import {
  PERMANENT_PROBLEMS,
  type Measurement,
  type MetricQuery,
  type SideReading,
  type SideWindow,
} from './metrics-source.js';
import {
  builtinMetricValue,
  isBuiltinMetric,
  mergeWindows,
  windowProblem,
  type MetricValue,
} from './side-metrics.js';
import {
  describeCondition,
  evaluateCondition,
  initialConditionState,
  type ConditionState,
} from './threshold-judge.js';

/**
 * One analysis over time, as a pure state machine: (state, event) → state. The state is
 * plain JSON, so the engine saves it after every measurement and resumes from it after a
 * crash; the same events always give the same verdict.
 */
export type Verdict = 'running' | 'passed' | 'failed' | 'inconclusive';

export interface AnalysisRunState {
  readonly schema: 1;
  readonly config: AnalysisConfig;
  readonly startedAt: string;
  /** When the window ends (a canary step's pause, a monitoring window); none: until concluded. */
  readonly deadline?: string;
  readonly verdict: Verdict;
  readonly decidedAt?: string;
  /** The verdict in one sentence, with the numbers behind it. */
  readonly summary?: string;
  /** One sentence per judge at the decision. */
  readonly findings: readonly string[];
  readonly measurements: number;
  /** Last time a measurement brought requests or a query value. */
  readonly lastDataAt: string;
  readonly lastProblem?: string;
  /** Canary windows too small to judge on their own, merged until they hold minRequests. */
  readonly pool?: SideWindow;
  readonly conditions: readonly ConditionState[];
  readonly compare?: CompareState;
  readonly points: readonly EvidencePoint[];
}

export type AnalysisEvent =
  | { readonly kind: 'measurement'; readonly measurement: Measurement }
  /** Time passed without a measurement: checks the deadline and stale data. */
  | { readonly kind: 'tick'; readonly at: string }
  /** The window ends now (a person promoted, the engine moves on): decide on what is known. */
  | { readonly kind: 'conclude'; readonly at: string; readonly reason?: string };

export function startAnalysisRun(
  config: AnalysisConfig,
  at: Date | string,
  options: { readonly durationMs?: number } = {},
): AnalysisRunState {
  const startedAt = new Date(at).toISOString();
  return {
    schema: 1,
    config,
    startedAt,
    ...(options.durationMs !== undefined
      ? { deadline: new Date(Date.parse(startedAt) + options.durationMs).toISOString() }
      : {}),
    verdict: 'running',
    findings: [],
    measurements: 0,
    lastDataAt: startedAt,
    conditions: config.conditions.map(initialConditionState),
    ...(config.compare ? { compare: initialCompareState(config.compare) } : {}),
    points: [],
  };
}

/** The custom queries a measurement must carry for this analysis, named by metric. */
export function analysisQueries(config: AnalysisConfig): MetricQuery[] {
  const byName = new Map<string, string>();
  for (const condition of config.conditions) {
    if (condition.query !== undefined && !byName.has(condition.metric)) {
      byName.set(condition.metric, condition.query);
    }
  }
  return [...byName].map(([name, query]) => ({ name, query }));
}

export function advanceAnalysisRun(
  state: AnalysisRunState,
  event: AnalysisEvent,
): AnalysisRunState {
  if (state.verdict !== 'running') return state;
  switch (event.kind) {
    case 'measurement':
      return onMeasurement(state, event.measurement);
    case 'tick':
      return checkTime(state, event.at);
    case 'conclude':
      return conclude(state, event.at, event.reason);
  }
}

interface Usable {
  readonly window?: SideWindow;
  readonly problem?: string;
  readonly permanent?: boolean;
}

function usable(side: string, reading: SideReading | undefined): Usable {
  if (!reading) return { problem: `no ${side} reading`, permanent: true };
  if (reading.kind === 'window') {
    const problem = windowProblem(reading.window);
    return problem
      ? { problem: `${side}: nonsense window (${problem})` }
      : { window: reading.window };
  }
  if (reading.code === 'NO_WINDOW_YET') return {};
  return {
    problem: `${side}: ${reading.reason}`,
    permanent: PERMANENT_PROBLEMS.has(reading.code),
  };
}

function onMeasurement(state: AnalysisRunState, measurement: Measurement): AnalysisRunState {
  const { config } = state;
  const at = measurement.at;
  const problems: string[] = [];
  let permanent: string | undefined;
  const note = (found: Usable): SideWindow | undefined => {
    if (found.problem) problems.push(found.problem);
    if (found.permanent && permanent === undefined) permanent = found.problem;
    return found.window;
  };

  const canary = note(usable('canary', measurement.canary));
  const stable = config.compare ? note(usable('stable', measurement.stable)) : undefined;
  let hadData = canary !== undefined && canary.requests > 0;
  const values: Record<string, number> = {};
  const conditions = [...state.conditions];
  const judge = (i: number, value: MetricValue, requests?: number): void => {
    const condition = config.conditions[i]!;
    conditions[i] = evaluateCondition(condition, conditions[i]!, at, value, requests);
    if (value.kind === 'value') values[condition.metric] = value.value;
  };

  // Built-in metrics: judged on the canary's windows, merged until they hold minRequests.
  let pool = state.pool;
  if (canary) {
    const merged = pool ? mergeWindows(pool, canary) : canary;
    const ready = merged.requests >= config.minRequests;
    config.conditions.forEach((condition, i) => {
      const metric = condition.metric;
      if (condition.query !== undefined || !isBuiltinMetric(metric)) return;
      if (metric === 'throughput') judge(i, builtinMetricValue(metric, canary));
      else if (ready || settledBreach(condition, merged, config.minRequests)) {
        judge(i, builtinMetricValue(metric, merged), merged.requests);
      }
    });
    pool = ready ? undefined : merged;
  }

  // Custom queries: one value per measurement.
  config.conditions.forEach((condition, i) => {
    if (condition.query === undefined) return;
    const reading = measurement.queries[condition.metric];
    if (reading?.kind === 'value') {
      hadData = true;
      judge(i, { kind: 'value', value: reading.value });
      return;
    }
    const found = reading
      ? usable(condition.metric, reading)
      : { problem: `${condition.metric}: the source returned no value for its query` };
    note(found);
    if (found.problem) judge(i, { kind: 'missing', reason: found.problem });
  });

  let compare = state.compare;
  if (config.compare && compare && canary && stable) {
    compare = updateCompare(config.compare, compare, canary, stable, config.minRequests);
  }

  const { pool: _previous, ...rest } = state;
  const next: AnalysisRunState = {
    ...rest,
    ...(pool ? { pool } : {}),
    measurements: state.measurements + 1,
    conditions,
    ...(compare ? { compare } : {}),
    points: appendPoint(state.points, evidencePoint(measurement, values, problems)),
    lastDataAt: hadData ? at : state.lastDataAt,
    ...(problems.length > 0 ? { lastProblem: problems.join('; ') } : {}),
  };
  return decide(next, at, permanent);
}

/**
 * Whether a ratio condition already breaches however the rest of a small pool turns out:
 * with e errors in a pool that will hold `minRequests`, the final error rate lies between
 * e / minRequests and (e + missing) / minRequests. A canary failing every request is caught
 * in its first window instead of after minRequests requests.
 */
function settledBreach(
  condition: AnalysisCondition,
  pool: SideWindow,
  minRequests: number,
): boolean {
  if (condition.metric !== 'error_rate' && condition.metric !== 'availability') return false;
  if (pool.requests === 0 || pool.requests >= minRequests) return false;
  const missing = minRequests - pool.requests;
  const low = pool.errors / minRequests;
  const high = (pool.errors + missing) / minRequests;
  const [a, b] = condition.metric === 'error_rate' ? [low, high] : [1 - high, 1 - low];
  return breaches(condition.threshold, a) && breaches(condition.threshold, b);
}

function decide(
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

function checkTime(state: AnalysisRunState, at: string): AnalysisRunState {
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

function conclude(state: AnalysisRunState, at: string, reason?: string): AnalysisRunState {
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
