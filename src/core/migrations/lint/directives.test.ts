import { describe, expect, it } from 'vitest';
import type { SqlComment } from '../sql-statement.js';
import { parseDirective } from './directives.js';

const comment = (text: string): SqlComment => ({
  line: 3,
  column: 1,
  endOffset: 40,
  style: 'line',
  text,
});
const RULES = ['drop-table', 'drop-column', 'truncate-table'];
const parse = (text: string) => parseDirective(comment(text), RULES);

describe('parseDirective', () => {
  it('ignores comments not addressed to eclusa', () => {
    expect(parse(' adds the email column')).toBeUndefined();
    expect(parse(' see eclusa:allow in the docs')).toBeUndefined();
  });

  it('reads no-transaction', () => {
    expect(parse(' eclusa:no-transaction')).toMatchObject({ kind: 'no-transaction' });
  });

  it('reads allow with one or more rules and a reason', () => {
    expect(parse(' eclusa:allow drop-table reason: the table was never used')).toMatchObject({
      kind: 'allow',
      rules: ['drop-table'],
      reason: 'the table was never used',
    });
    expect(parse(' eclusa:allow drop-table, truncate-table  reason:  staging only ')).toMatchObject(
      { rules: ['drop-table', 'truncate-table'], reason: 'staging only' },
    );
    expect(parse(' eclusa:allow drop-table')).toMatchObject({ kind: 'allow', reason: '' });
    expect(parse(' eclusa:allow drop-table reason:')).toMatchObject({ kind: 'allow', reason: '' });
  });

  it('names unknown rules and directives with the closest match', () => {
    expect(parse(' eclusa:allow drop-tabel reason: x')).toMatchObject({
      kind: 'invalid',
      message: 'eclusa:allow names an unknown rule "drop-tabel" (did you mean "drop-table"?)',
    });
    expect(parse(' eclusa:alow drop-table reason: x')).toMatchObject({
      kind: 'invalid',
      message: 'unknown directive "eclusa:alow" (did you mean "eclusa:allow"?)',
    });
    expect(parse(' eclusa:allow reason: x')).toMatchObject({ kind: 'invalid' });
  });

  it('reads deprecations of columns, tables and schemas, folding unquoted names', () => {
    expect(parse(' eclusa:deprecate users.Legacy_Email since 1.4.0')).toMatchObject({
      kind: 'deprecate',
      object: 'column',
      parts: ['users', 'legacy_email'],
      since: '1.4.0',
    });
    expect(parse(' eclusa:deprecate column app.users."Email" since v2.0.0 — moved')).toMatchObject({
      object: 'column',
      parts: ['app', 'users', 'Email'],
      since: '2.0.0',
    });
    expect(parse(' eclusa:deprecate legacy_sessions since 1.4.0')).toMatchObject({
      object: 'table',
      parts: ['legacy_sessions'],
    });
    expect(parse(' eclusa:deprecate table app.sessions since 1.4.0')).toMatchObject({
      object: 'table',
      parts: ['app', 'sessions'],
    });
    expect(parse(' eclusa:deprecate schema reporting since 1.4.0')).toMatchObject({
      object: 'schema',
      parts: ['reporting'],
    });
  });

  it('refuses deprecations without a release, with a bad version or a wrong name', () => {
    for (const text of [
      ' eclusa:deprecate users.legacy_email',
      ' eclusa:deprecate users.legacy_email since',
      ' eclusa:deprecate users.legacy_email since soon',
      ' eclusa:deprecate column users since 1.0.0',
      ' eclusa:deprecate schema a.b since 1.0.0',
      ' eclusa:deprecate users..x since 1.0.0',
    ])
      expect(parse(text), text).toMatchObject({ kind: 'invalid' });
  });
});
