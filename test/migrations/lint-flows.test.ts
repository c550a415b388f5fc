import { describe, expect, it } from 'vitest';
import { EclusaError } from '../../src/core/errors/eclusa-error.js';
import { findingKeys, lintSql } from './lint-sql.js';

const T = "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\n";

describe('suppressions', () => {
  it('keep the suppressed finding, its reason and the comment line as evidence', () => {
    const report = lintSql(
      `${T}-- eclusa:allow truncate-table, missing-lock-timeout reason: page_cache is rebuilt on start\nTRUNCATE page_cache;`,
    );
    expect(report.ok).toBe(true);
    expect(report.findings).toEqual([]);
    expect(report.suppressed).toEqual([
      expect.objectContaining({
        file: '001_example.up.sql',
        line: 4,
        rule: 'truncate-table',
        severity: 'error',
        reason: 'page_cache is rebuilt on start',
        suppressedAt: 3,
      }),
    ]);
  });

  it('a block comment on the same line covers the statement after it', () => {
    const report = lintSql(
      `${T}/* eclusa:allow truncate-table reason: rebuilt on start */ TRUNCATE page_cache;`,
    );
    expect(report.findings).toEqual([]);
    expect(report.suppressed).toHaveLength(1);
  });

  it('without a reason: the suppression is an error and the finding stays', () => {
    const report = lintSql(`${T}-- eclusa:allow truncate-table reason:   \nTRUNCATE page_cache;`);
    expect(report.ok).toBe(false);
    expect(report.findings.map((f) => [f.rule, f.message])).toEqual([
      [
        'suppression-without-reason',
        'eclusa:allow truncate-table gives no reason, so it suppresses nothing',
      ],
      ['truncate-table', expect.stringContaining('TRUNCATE page_cache deletes every row')],
    ]);
  });
});

describe('expand/contract', () => {
  const files = (since: string) => ({
    '001_email_v2.up.sql': `-- eclusa:deprecate column users.legacy_email since ${since}\n`,
    '002_contract.up.sql': `${T}ALTER TABLE users DROP COLUMN IF EXISTS legacy_email;`,
  });

  it('passes a drop one release after the deprecation', () => {
    expect(lintSql(files('1.4.0'), '1.5.0').findings).toEqual([]);
    expect(lintSql(files('1.4.0'), '1.4.1').findings).toEqual([]);
  });

  it('says why a drop is refused: same release, unknown release, never deprecated', () => {
    expect(lintSql(files('1.5.0'), '1.5.0').findings[0]?.message).toBe(
      'DROP COLUMN users.legacy_email breaks the queries of the release still running and loses its data: column public.users.legacy_email was deprecated in 1.5.0 (001_email_v2.up.sql:1); release 1.5.0 is not later, so old code may still use it',
    );
    expect(lintSql(files('1.4.0')).findings[0]?.message).toContain(
      'was deprecated in 1.4.0 (001_email_v2.up.sql:1), but the current release is unknown: pass --release',
    );
    expect(lintSql(files('1.6.0'), '1.5.0').findings[0]?.message).toContain('is not later');
    const never = lintSql(
      { '002_contract.up.sql': files('1.0.0')['002_contract.up.sql'] },
      '9.0.0',
    );
    expect(never.findings[0]).toMatchObject({
      rule: 'drop-column',
      message: expect.stringContaining(
        'no earlier migration deprecated column public.users.legacy_email',
      ) as unknown,
      fix: expect.stringContaining(
        '-- eclusa:deprecate column users.legacy_email since <this release>',
      ) as unknown,
    });
  });

  it('refuses a release that is not SemVer', () => {
    expect(() => lintSql(files('1.4.0'), 'next')).toThrow(EclusaError);
    expect(() => lintSql(files('1.4.0'), 'next')).toThrow('release "next" is not a SemVer version');
  });
});

describe('files in order', () => {
  it('lint in migration order (numbers as numbers), each up before its down', () => {
    const report = lintSql({
      '10_c.up.sql': 'CREATE TABLE c (a int);',
      '2_b.down.sql': 'DROP TABLE b;',
      '2_b.up.sql': 'CREATE TABLE b (a int);',
    });
    expect(report.findings.map((f) => f.file)).toEqual([
      '2_b.up.sql',
      '2_b.down.sql',
      '2_b.down.sql',
      '2_b.down.sql',
      '10_c.up.sql',
    ]);
    expect(report).toMatchObject({ files: 3, statements: 3 });
  });

  it('keeps what a down file does out of the schema the next up file sees', () => {
    const report = lintSql({
      '001_users.up.sql': 'CREATE TABLE IF NOT EXISTS users (name varchar(50));',
      '001_users.down.sql': `${T}-- eclusa:allow column-type-rewrite reason: a down file only\nALTER TABLE users ALTER COLUMN name TYPE varchar(10);`,
      '002_longer.up.sql': `${T}ALTER TABLE users ALTER COLUMN name TYPE varchar(200);`,
    });
    expect(findingKeys(report, true)).toEqual([]);
    expect(report.suppressed).toHaveLength(1);
  });

  it('reports a file that does not parse and goes on with the others', () => {
    const report = lintSql({
      '001_bad.up.sql': "SELECT 'é';\nCREATE TABLE IF NOT EXISTS t (\n  a int,\n);",
      '002_next.up.sql': 'CREATE TABLE u (a int);',
    });
    expect(report.findings).toEqual([
      {
        file: '001_bad.up.sql',
        line: 4,
        column: 1,
        rule: 'parse-error',
        severity: 'error',
        message: 'PostgreSQL cannot parse this file: syntax error at or near ")"',
        fix: 'fix the SQL at this line',
      },
      expect.objectContaining({ file: '002_next.up.sql', rule: 'non-idempotent-ddl' }),
    ]);
    expect(report.statements).toBe(1);
  });
});
