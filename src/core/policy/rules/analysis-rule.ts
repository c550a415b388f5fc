import { analysisProblems } from '../../analysis/analysis-config.js';
import { SOURCE_CAPABILITIES } from '../../analysis/source-capabilities.js';
import type { PolicyRule } from './rule-context.js';

/**
 * Each analysis can run on its source: thresholds in the metric's unit, quantiles and
 * latency comparison only where the source has latency buckets — caught at `policy check`,
 * at the field's place, instead of at the first deployment that runs the analysis.
 */
export const analysisRule: PolicyRule = (policy, context) => {
  for (const [name, analysis] of Object.entries(policy.analyses ?? {})) {
    const capabilities = SOURCE_CAPABILITIES[analysis.source ?? 'scrape'];
    for (const problem of analysisProblems(name, analysis, capabilities)) {
      // A query on a source that takes none is the content rule's QUERY_NEEDS_PROMETHEUS.
      if (problem.code === 'ANALYSIS_UNSUPPORTED' && problem.path.at(-1) === 'query') continue;
      context.error(problem.path, problem.code, problem.message, problem.hint);
    }
    if (analysis.match !== undefined && analysis.source !== 'prometheus') {
      context.error(
        ['analyses', name, 'match'],
        'ANALYSIS_UNSUPPORTED',
        `analysis "${name}" picks series by labels (match), which only a Prometheus source has`,
        'set source: prometheus and prometheusUrl, or remove match',
      );
    }
  }
};
