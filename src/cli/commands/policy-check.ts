import { policyQueries } from '../../core/analysis/policy-queries.js';
import { locateProblems } from '../../core/policy/load-policy.js';
import { formatIssue, type PolicyIssue } from '../../core/policy/policy-issue.js';
import type { CompiledPolicy } from '../../core/policy/compiled-policy.js';
import { writeJson, type CliIo } from '../cli-io.js';
import { policyPath, readPolicy } from '../policy-file.js';

export interface PolicyCheckOptions {
  readonly file?: string;
  readonly json?: boolean;
  readonly strict?: boolean;
}

interface QueryResult {
  readonly errors: readonly PolicyIssue[];
  readonly unchecked: readonly { readonly prometheusUrl: string; readonly reason: string }[];
}

/**
 * Asks each analysis' Prometheus to parse its PromQL queries; a refused query is an error at
 * its line, with Prometheus' own message. A Prometheus that cannot be asked is not an error:
 * its queries are checked at the first analysis.
 */
async function checkQueries(
  io: CliIo,
  file: string | undefined,
  policy: CompiledPolicy,
): Promise<QueryResult> {
  if (policyQueries(policy).length === 0) return { errors: [], unchecked: [] };
  const { checkPolicyQueries } =
    await import('../../adapters/metrics/prometheus/check-policy-queries.js');
  const checked = await checkPolicyQueries(policy);
  const { absolute, shown } = policyPath(io, file);
  const profile = io.env['ECLUSA_PROFILE']?.trim();
  const errors = await locateProblems(
    absolute,
    checked.problems.map((problem) => ({ severity: 'error' as const, ...problem })),
    profile ? { profile } : {},
  );
  return {
    errors: errors.map((issue) => (issue.file === absolute ? { ...issue, file: shown } : issue)),
    unchecked: checked.unchecked,
  };
}

/** `eclusa policy check`: every error and warning at once; exit 2 when the policy is invalid. */
export async function policyCheck(io: CliIo, options: PolicyCheckOptions): Promise<number> {
  const loaded = await readPolicy(io, options.file);
  const queries = loaded.ok
    ? await checkQueries(io, options.file, loaded.policy)
    : { errors: [], unchecked: [] };
  const errors = [...loaded.errors, ...queries.errors];
  const failed = errors.length > 0 || (options.strict === true && loaded.warnings.length > 0);
  if (options.json) {
    writeJson(io, {
      ok: !failed,
      errors,
      warnings: loaded.warnings,
      unchecked: queries.unchecked,
    });
    return failed ? 2 : 0;
  }
  for (const issue of errors) io.err(formatIssue(issue));
  for (const issue of loaded.warnings) io.err(formatIssue(issue));
  for (const server of queries.unchecked)
    io.err(
      `warning: the queries for ${server.prometheusUrl} were not checked (${server.reason}); they will be checked at the first analysis`,
    );
  if (loaded.ok && errors.length === 0) {
    const environments = loaded.policy.environments.map((e) => e.name).join(' → ');
    const warned = loaded.warnings.length > 0 ? ` with ${loaded.warnings.length} warning(s)` : '';
    io.out(`policy is valid${warned}: ${loaded.policy.project.name}, ${environments}`);
  } else {
    io.err(`${errors.length} error(s), ${loaded.warnings.length} warning(s)`);
  }
  return failed ? 2 : 0;
}
