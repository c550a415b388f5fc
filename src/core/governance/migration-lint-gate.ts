import { countErrors, type LintReport } from '../migrations/lint/lint-finding.js';
import type { GateResult } from './gate-result.js';

/** What linting the policy's SQL migrations gave: a report, or why there is none. */
export type MigrationLintOutcome =
  | { readonly kind: 'linted'; readonly dirs: readonly string[]; readonly report: LintReport }
  | { readonly kind: 'unavailable'; readonly reason: string };

/** The `migration-lint` gate: passes when no finding is an error, naming the first one when not. */
export function migrationLintGate(outcome: MigrationLintOutcome | undefined): GateResult {
  const name = 'migration-lint';
  if (outcome === undefined)
    return { name, status: 'pending', reason: 'no migration lint result recorded yet' };
  if (outcome.kind === 'unavailable') return { name, status: 'fail', reason: outcome.reason };
  const { report, dirs } = outcome;
  const errors = countErrors(report.findings);
  const warnings = report.findings.length - errors;
  const extra = [
    ...(warnings > 0 ? [`${warnings} warning(s)`] : []),
    ...(report.suppressed.length > 0
      ? [`${report.suppressed.length} finding(s) allowed with a reason`]
      : []),
  ];
  const tail = extra.length > 0 ? ` (${extra.join(', ')})` : '';
  const first = report.findings.find((finding) => finding.severity === 'error');
  if (first === undefined)
    return {
      name,
      status: 'pass',
      reason: `${report.files} migration file(s) in ${dirs.join(', ')} lint without errors${tail}`,
    };
  return {
    name,
    status: 'fail',
    reason: `${errors} lint error(s) in ${dirs.join(', ')}${tail}; first: ${first.file}:${first.line} ${first.rule} ${first.message} (run eclusa lint migrations for all of them)`,
  };
}
