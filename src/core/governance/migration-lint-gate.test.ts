import { describe, expect, it } from 'vitest';
import type { LintFinding, LintReport } from '../migrations/lint/lint-finding.js';
import { migrationLintGate } from './migration-lint-gate.js';

const finding = (rule: string, severity: 'error' | 'warning', line: number): LintFinding => ({
  file: 'db/migrations/002_x.up.sql',
  line,
  column: 1,
  rule,
  severity,
  message: `${rule} message`,
  fix: 'the fix',
});

const report = (findings: LintFinding[], suppressed = 0): LintReport => ({
  findings,
  suppressed: Array.from({ length: suppressed }, () => ({
    ...finding('truncate-table', 'error', 9),
    reason: 'cache',
    suppressedAt: 8,
  })),
  files: 3,
  statements: 12,
  ok: findings.every((f) => f.severity !== 'error'),
});

describe('migrationLintGate', () => {
  it('is pending until there is a result', () => {
    expect(migrationLintGate(undefined)).toMatchObject({ status: 'pending' });
  });

  it('passes with no errors, counting warnings and reasoned suppressions', () => {
    expect(
      migrationLintGate({
        kind: 'linted',
        dirs: ['db/migrations'],
        report: report([finding('missing-statement-timeout', 'warning', 2)], 1),
      }),
    ).toEqual({
      name: 'migration-lint',
      status: 'pass',
      reason:
        '3 migration file(s) in db/migrations lint without errors (1 warning(s), 1 finding(s) allowed with a reason)',
    });
  });

  it('fails naming the number of errors and the first one', () => {
    const gate = migrationLintGate({
      kind: 'linted',
      dirs: ['db/migrations'],
      report: report([
        finding('missing-statement-timeout', 'warning', 2),
        finding('drop-column', 'error', 4),
        finding('rename-table', 'error', 7),
      ]),
    });
    expect(gate.status).toBe('fail');
    expect(gate.reason).toBe(
      '2 lint error(s) in db/migrations (1 warning(s)); first: db/migrations/002_x.up.sql:4 drop-column drop-column message (run eclusa lint migrations for all of them)',
    );
  });

  it('fails when the migrations cannot be linted, saying why', () => {
    expect(
      migrationLintGate({ kind: 'unavailable', reason: 'migrations folder "db" does not exist' }),
    ).toEqual({
      name: 'migration-lint',
      status: 'fail',
      reason: 'migrations folder "db" does not exist',
    });
  });
});
