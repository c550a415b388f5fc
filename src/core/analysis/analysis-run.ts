import { breaches } from '../policy/threshold.js';
import type { AnalysisCondition, AnalysisConfig } from './analysis-config.js';
import type { AnalysisEvent, AnalysisRunState } from './analysis-run-state.js';
import { checkTime, conclude, decide } from './analysis-verdict.js';
import { initialCompareState, updateCompare } from './compare-judge.js';
import { appendPoint, evidencePoint } from './evidence-point.js';
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
import { evaluateCondition, initialConditionState } from './threshold-judge.js';

export type { AnalysisEvent, AnalysisRunState, Verdict } from './analysis-run-state.js';

/**
 * One analysis over time, as a pure state machine: (state, event) → state. The state is
 * plain JSON, so the engine saves it after every measurement and resumes from it after a
 * crash; the same events always give the same verdict.
 */
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
