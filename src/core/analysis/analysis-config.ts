import type { z } from 'zod';
import { invalidInput } from '../errors/eclusa-error.js';
import { parseDuration } from '../policy/duration.js';
import { formatPath, type PolicyPath } from '../policy/policy-issue.js';
import type { analysisSchema } from '../policy/schema/analysis.js';
import { parseThreshold, type Threshold } from '../policy/threshold.js';
import type { MetricsSourceCapabilities } from './metrics-source.js';
import { isBuiltinMetric, metricQuantile } from './side-metrics.js';
import type { SprtBoundaryKind } from './stats/sprt-test.js';

export type AnalysisDocument = z.output<typeof analysisSchema>;

export interface AnalysisCondition {
  readonly metric: string;
  readonly query?: string;
  readonly threshold: Threshold;
  /** How long the breach must last (Prometheus alerting's `for`); 0 fails at once. */
  readonly forMs: number;
  readonly description?: string;
}

export interface CompareConfig {
  readonly errorRate: boolean;
  readonly latency: boolean;
  /** Relative degradation tolerated: 0.2 lets the canary be 20 % worse. */
  readonly maxDegradation: number;
  /** Chance of a false alarm over the whole run, however often it is read. */
  readonly alpha: number;
  /** Present when error rates go through Wald's SPRT instead of the always-valid mixture. */
  readonly sprt?: SprtConfig;
}

export interface SprtConfig {
  /** Smallest relative degradation that must be caught: 1 = twice the baseline's error odds. */
  readonly detect: number;
  /** Chance of catching a degradation of `detect`; 1 − power bounds a wrong early pass. */
  readonly power: number;
  /**
   * `exact`: Ville's boundaries, both error rates bounded exactly. `corrected`: fails at
   * Wald's boundary with Siegmund's overshoot correction — real false alarms close to α,
   * fewer requests, an approximation checked by simulation; passes as `exact`.
   */
  readonly boundaries: SprtBoundaryKind;
}

/** An analysis from the policy with every default settled: what a run is started with. */
export interface AnalysisConfig {
  readonly name: string;
  readonly source: 'scrape' | 'prometheus' | 'haproxy';
  readonly intervalMs: number;
  readonly failureLimit: number;
  readonly consecutiveSuccesses?: number;
  readonly minRequests: number;
  readonly inconclusive: 'pause' | 'fail';
  /** No usable data for this long makes the run inconclusive. */
  readonly staleAfterMs: number;
  readonly conditions: readonly AnalysisCondition[];
  readonly compare?: CompareConfig;
}

export const ANALYSIS_DEFAULTS = {
  intervalMs: 10_000,
  failureLimit: 0,
  minRequests: 100,
  inconclusive: 'pause',
  maxDegradation: 0.1,
  alpha: 0.01,
  detect: 1,
  power: 0.9,
  boundaries: 'exact',
} as const;

export interface AnalysisProblem {
  readonly path: PolicyPath;
  readonly code: string;
  readonly message: string;
  readonly hint: string;
}

const RATIO_METRICS = new Set(['error_rate', 'availability']);

/**
 * What keeps an analysis from running on a source: a threshold in the wrong unit, a
 * latency quantile or comparison from a source that has no histograms, a query on a source
 * that takes none. Pure, so `policy check` can report these at their place in the file.
 */
export function analysisProblems(
  name: string,
  document: AnalysisDocument,
  capabilities?: MetricsSourceCapabilities,
): AnalysisProblem[] {
  const problems: AnalysisProblem[] = [];
  const at = ['analyses', name];
  const source = document.source ?? 'scrape';
  (document.conditions ?? []).forEach((condition, i) => {
    const path = [...at, 'conditions', i];
    const threshold = parseThreshold(condition.failWhen);
    if (!threshold) {
      problems.push({
        path: [...path, 'failWhen'],
        code: 'INVALID_FORMAT',
        message: `"${condition.failWhen}" is not a threshold`,
        hint: 'write a comparison such as "> 1%", "> 2s" or "< 99%"',
      });
      return;
    }
    if (condition.query === undefined && isBuiltinMetric(condition.metric)) {
      const unit = unitProblem(condition.metric, threshold);
      if (unit) problems.push({ path: [...path, 'failWhen'], code: 'ANALYSIS_UNIT', ...unit });
      if (capabilities && !capabilities.latencyHistogram && metricQuantile(condition.metric)) {
        problems.push({
          path: [...path, 'metric'],
          code: 'ANALYSIS_UNSUPPORTED',
          message: `${condition.metric} needs latency buckets, and source ${source} reports only an average`,
          hint: 'use latency_avg, or read metrics from scrape or prometheus',
        });
      }
    }
    if (condition.query !== undefined && capabilities && !capabilities.queries) {
      problems.push({
        path: [...path, 'query'],
        code: 'ANALYSIS_UNSUPPORTED',
        message: `source ${source} cannot run a PromQL query`,
        hint: 'set source: prometheus and prometheusUrl',
      });
    }
  });
  if (
    document.compare?.metrics.includes('latency') &&
    capabilities &&
    !capabilities.latencyHistogram
  ) {
    problems.push({
      path: [...at, 'compare', 'metrics'],
      code: 'ANALYSIS_UNSUPPORTED',
      message: `comparing latency needs latency buckets, and source ${source} reports only an average`,
      hint: 'compare [error_rate] only, or read metrics from scrape or prometheus',
    });
  }
  if (document.compare) problems.push(...compareProblems(name, document.compare));
  return problems;
}

/**
 * What makes a `compare` block contradict itself: SPRT settings without `test: sprt`, an
 * SPRT with no error rate to judge, or a degradation to detect no larger than the one
 * tolerated. Shared with `policy check`.
 */
export function compareProblems(
  name: string,
  compare: NonNullable<AnalysisDocument['compare']>,
): AnalysisProblem[] {
  const at = ['analyses', name, 'compare'];
  const problems: AnalysisProblem[] = [];
  if (compare.test !== 'sprt') {
    for (const key of ['detect', 'power', 'boundaries'] as const) {
      if (compare[key] === undefined) continue;
      problems.push({
        path: [...at, key],
        code: 'ANALYSIS_SPRT_ONLY',
        message: `${key} applies to the sequential probability ratio test, and this comparison uses the ${compare.test ?? 'mixture'} test`,
        hint: `add test: sprt, or remove ${key}`,
      });
    }
    return problems;
  }
  if (!compare.metrics.includes('error_rate')) {
    problems.push({
      path: [...at, 'test'],
      code: 'ANALYSIS_SPRT_ONLY',
      message: 'test: sprt judges error rates, and metrics lists no error_rate',
      hint: 'add error_rate to metrics, or remove test: sprt (latency keeps its rank test)',
    });
  }
  const tolerated = compare.maxDegradation ?? ANALYSIS_DEFAULTS.maxDegradation;
  const detect = compare.detect ?? ANALYSIS_DEFAULTS.detect;
  if (detect <= tolerated) {
    problems.push({
      path: [...at, compare.detect === undefined ? 'test' : 'detect'],
      code: 'ANALYSIS_SPRT_RANGE',
      message: `detect ${detect} is not above maxDegradation ${tolerated}: the degradation the SPRT must catch has to be larger than the one it tolerates`,
      hint: `raise detect (1.0 = twice the baseline's error odds) above ${tolerated}, or lower maxDegradation`,
    });
  }
  return problems;
}

function unitProblem(
  metric: string,
  threshold: Threshold,
): { message: string; hint: string } | undefined {
  if (RATIO_METRICS.has(metric)) {
    if (threshold.unit === 'seconds' || threshold.value > 1) {
      return {
        message: `${metric} is a share of requests, and "${threshold.text}" is not`,
        hint: 'write a percentage such as "> 1%" or "< 99%"',
      };
    }
  } else if (metric === 'throughput') {
    if (threshold.unit !== 'number') {
      return {
        message: `throughput is requests per second, and "${threshold.text}" is not`,
        hint: 'write a plain number such as "< 10"',
      };
    }
  } else if (threshold.unit !== 'seconds') {
    return {
      message: `${metric} is a time, and "${threshold.text}" has no time unit`,
      hint: 'write the unit, e.g. "> 500ms" or "> 2s"',
    };
  }
  return undefined;
}

/** The run-ready form of a policy analysis; throws a clear EclusaError on what cannot run. */
export function compileAnalysis(
  name: string,
  document: AnalysisDocument,
  capabilities?: MetricsSourceCapabilities,
): AnalysisConfig {
  const problems = analysisProblems(name, document, capabilities);
  if (problems.length > 0) {
    const [first] = problems;
    throw invalidInput(
      first!.code,
      problems.map((problem) => `${formatPath(problem.path)}: ${problem.message}`).join('; '),
      { hint: first!.hint, details: problems },
    );
  }
  const intervalMs = durationOf(document.interval, ANALYSIS_DEFAULTS.intervalMs);
  const conditions = (document.conditions ?? []).map((condition): AnalysisCondition => ({
    metric: condition.metric,
    ...(condition.query !== undefined ? { query: condition.query } : {}),
    threshold: parseThreshold(condition.failWhen)!,
    forMs: durationOf(condition.for, 0),
    ...(condition.description !== undefined ? { description: condition.description } : {}),
  }));
  const compare = document.compare;
  return {
    name,
    source: document.source ?? 'scrape',
    intervalMs,
    failureLimit: document.failureLimit ?? ANALYSIS_DEFAULTS.failureLimit,
    ...(document.consecutiveSuccesses !== undefined
      ? { consecutiveSuccesses: document.consecutiveSuccesses }
      : {}),
    minRequests: document.minRequests ?? ANALYSIS_DEFAULTS.minRequests,
    inconclusive: document.inconclusive ?? ANALYSIS_DEFAULTS.inconclusive,
    staleAfterMs: Math.max(5 * intervalMs, 60_000),
    conditions,
    ...(compare
      ? {
          compare: {
            errorRate: compare.metrics.includes('error_rate'),
            latency: compare.metrics.includes('latency'),
            maxDegradation: compare.maxDegradation ?? ANALYSIS_DEFAULTS.maxDegradation,
            alpha: compare.alpha ?? ANALYSIS_DEFAULTS.alpha,
            ...(compare.test === 'sprt'
              ? {
                  sprt: {
                    detect: compare.detect ?? ANALYSIS_DEFAULTS.detect,
                    power: compare.power ?? ANALYSIS_DEFAULTS.power,
                    boundaries: compare.boundaries ?? ANALYSIS_DEFAULTS.boundaries,
                  },
                }
              : {}),
          },
        }
      : {}),
  };
}

function durationOf(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const ms = parseDuration(text);
  if (ms === undefined) {
    throw invalidInput('INVALID_FORMAT', `"${text}" is not a duration`, {
      hint: 'write a duration such as 30s, 5m or 1h30m',
    });
  }
  return ms;
}
