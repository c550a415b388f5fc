import type { CompiledPolicy } from '../policy/compiled-policy.js';
import type { PolicyPath } from '../policy/policy-issue.js';

/** A custom PromQL query in the policy, with where it is and which Prometheus runs it. */
export interface PolicyQuery {
  readonly path: PolicyPath;
  readonly analysis: string;
  readonly prometheusUrl: string;
  readonly query: string;
}

/** Every query `policy check` can ask Prometheus to parse. */
export function policyQueries(policy: Pick<CompiledPolicy, 'analyses'>): PolicyQuery[] {
  const queries: PolicyQuery[] = [];
  for (const [name, analysis] of Object.entries(policy.analyses ?? {})) {
    if (analysis.source !== 'prometheus' || !analysis.prometheusUrl) continue;
    (analysis.conditions ?? []).forEach((condition, i) => {
      if (condition.query === undefined) return;
      queries.push({
        path: ['analyses', name, 'conditions', i, 'query'],
        analysis: name,
        prometheusUrl: analysis.prometheusUrl!,
        query: condition.query,
      });
    });
  }
  return queries;
}
