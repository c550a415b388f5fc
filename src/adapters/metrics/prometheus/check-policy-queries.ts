import type { AnalysisProblem } from '../../../core/analysis/analysis-config.js';
import { policyQueries } from '../../../core/analysis/policy-queries.js';
import type { CompiledPolicy } from '../../../core/policy/compiled-policy.js';
import { systemClock } from '../../../core/time/clock.js';
import { PrometheusMetricsSource } from './prometheus-metrics-source.js';

export interface QueryCheck {
  /** Queries Prometheus refused, with its own message: errors at their place in the file. */
  readonly problems: readonly AnalysisProblem[];
  /** Prometheus servers that could not be asked: the queries are checked at the first analysis. */
  readonly unchecked: readonly { readonly prometheusUrl: string; readonly reason: string }[];
}

/**
 * For `policy check`: asks each analysis' Prometheus to parse its queries. An unreachable
 * Prometheus is not an error — the same query is then caught at the first analysis.
 */
export async function checkPolicyQueries(
  policy: Pick<CompiledPolicy, 'analyses'>,
  timeoutMs = 3_000,
): Promise<QueryCheck> {
  const problems: AnalysisProblem[] = [];
  const unchecked = new Map<string, string>();
  for (const query of policyQueries(policy)) {
    if (unchecked.has(query.prometheusUrl)) continue;
    const source = new PrometheusMetricsSource({
      clock: systemClock,
      url: query.prometheusUrl,
      timeoutMs,
    });
    const validation = await source.validateQuery(query.query);
    if (validation.kind === 'invalid') {
      problems.push({
        path: query.path,
        code: 'INVALID_QUERY',
        message: validation.message,
        hint: 'fix the PromQL; Prometheus parsed it with {{canary}}/{{stable}} filled in',
      });
    } else if (validation.kind === 'unknown') {
      unchecked.set(query.prometheusUrl, validation.reason);
    }
  }
  return {
    problems,
    unchecked: [...unchecked].map(([prometheusUrl, reason]) => ({ prometheusUrl, reason })),
  };
}
