import type { CompiledPolicy } from '../policy/compiled-policy.js';
import type { CheckRecord } from '../store/records.js';
import type { GateResult } from './gate-result.js';

function numberFrom(record: CheckRecord, key: string): number | undefined {
  const fromEvidence = record.evidence?.summary[key];
  if (typeof fromEvidence === 'number') return fromEvidence;
  return record.value;
}

/**
 * One required check: the newest report counts. Facts read from evidence files win over
 * numbers given on the command line.
 */
export function evaluateCheck(
  policy: CompiledPolicy,
  name: string,
  minOverride: number | undefined,
  records: readonly CheckRecord[],
): GateResult {
  const gate = `check:${name}`;
  const latest = records.filter((record) => record.name === name).at(-1);
  if (!latest)
    return { name: gate, status: 'pending', reason: 'not reported yet (eclusa check report)' };
  const by = `reported by ${latest.reportedBy} at ${latest.reportedAt}`;
  if (latest.status === 'fail')
    return { name: gate, status: 'fail', reason: `reported as failed (${by})` };
  const check = policy.checks?.[name];
  switch (check?.type) {
    case 'coverage': {
      const min = minOverride ?? check.min;
      const coverage = numberFrom(latest, 'lineCoverage');
      if (coverage === undefined)
        return {
          name: gate,
          status: 'fail',
          reason: `no coverage figure: report it with --evidence (LCOV or Cobertura) or --value`,
        };
      return coverage >= min
        ? { name: gate, status: 'pass', reason: `line coverage ${coverage}% ≥ ${min}%` }
        : { name: gate, status: 'fail', reason: `line coverage ${coverage}% < ${min}%` };
    }
    case 'score': {
      const min = minOverride ?? check.min;
      const score = numberFrom(latest, 'score');
      if (score === undefined)
        return {
          name: gate,
          status: 'fail',
          reason: 'no score: report it with --evidence (JSON) or --value',
        };
      if (score < min) return { name: gate, status: 'fail', reason: `score ${score} < ${min}` };
      if (check.max !== undefined && score > check.max)
        return { name: gate, status: 'fail', reason: `score ${score} > ${check.max}` };
      return { name: gate, status: 'pass', reason: `score ${score} ≥ ${min}` };
    }
    case 'tests': {
      const summary = latest.evidence?.summary;
      const failures = Number(summary?.['failures'] ?? 0) + Number(summary?.['errors'] ?? 0);
      const tests = summary?.['tests'];
      const allowed = check.maxFailures ?? 0;
      if (failures > allowed)
        return {
          name: gate,
          status: 'fail',
          reason: `${failures} failed test(s), ${allowed} allowed`,
        };
      if (check.minTests !== undefined && (typeof tests !== 'number' || tests < check.minTests)) {
        return {
          name: gate,
          status: 'fail',
          reason: `${typeof tests === 'number' ? tests : 'an unknown number of'} test(s) ran, at least ${check.minTests} required`,
        };
      }
      return {
        name: gate,
        status: 'pass',
        reason: summary ? `${String(tests)} test(s), ${failures} failed` : `passed (${by})`,
      };
    }
    default:
      return { name: gate, status: 'pass', reason: `passed (${by})` };
  }
}
