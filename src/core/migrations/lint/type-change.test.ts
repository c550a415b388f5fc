import { describe, expect, it } from 'vitest';
import type { TypeSpec } from '../sql-statement.js';
import { typeChangeVerdict } from './type-change.js';

/** `varchar(20)`, `numeric(10,2)`, `text[]` → a TypeSpec, for readable tables. */
function type(written: string): TypeSpec {
  const match = /^([a-z0-9_ ]+?)(?:\(([\d,]+)\))?(\[\])?$/.exec(written);
  if (!match) throw new Error(written);
  return {
    name: match[1] ?? '',
    ...(match[2] ? { modifiers: match[2].split(',').map(Number) } : {}),
    array: match[3] !== undefined,
  };
}

describe('typeChangeVerdict', () => {
  it.each([
    ['varchar(20)', 'varchar(50)', 'no-rewrite'],
    ['varchar(20)', 'varchar(20)', 'no-rewrite'],
    ['varchar(20)', 'varchar', 'no-rewrite'],
    ['varchar(20)', 'text', 'no-rewrite'],
    ['varchar', 'text', 'no-rewrite'],
    ['text', 'varchar', 'no-rewrite'],
    ['numeric(10,2)', 'numeric(12,2)', 'no-rewrite'],
    ['numeric(10,2)', 'numeric', 'no-rewrite'],
    ['decimal(10,2)', 'numeric(14,2)', 'no-rewrite'],
    ['varbit(8)', 'varbit(16)', 'no-rewrite'],
    ['timestamp(3)', 'timestamp(6)', 'no-rewrite'],
    ['cidr', 'inet', 'no-rewrite'],
    ['serial', 'int4', 'no-rewrite'],
    ['text[]', 'text[]', 'no-rewrite'],
    ['varchar(50)', 'varchar(20)', 'rewrite'],
    ['varchar', 'varchar(20)', 'rewrite'],
    ['text', 'varchar(20)', 'rewrite'],
    ['numeric(10,2)', 'numeric(10,4)', 'rewrite'],
    ['numeric(10,2)', 'numeric(8,2)', 'rewrite'],
    ['numeric', 'numeric(10,2)', 'rewrite'],
    ['int4', 'int8', 'rewrite'],
    ['integer', 'bigint', 'rewrite'],
    ['int8', 'int4', 'rewrite'],
    ['bpchar(5)', 'bpchar(10)', 'rewrite'],
    ['bpchar(5)', 'text', 'rewrite'],
    ['json', 'jsonb', 'rewrite'],
    ['text', 'uuid', 'rewrite'],
    ['varchar(20)[]', 'varchar(50)[]', 'rewrite'],
    ['timestamp', 'timestamptz', 'unknown'],
    ['timestamptz', 'timestamp', 'unknown'],
  ])('%s → %s: %s', (from, to, kind) => {
    expect(typeChangeVerdict(type(from), type(to), false).kind).toBe(kind);
  });

  it('cannot tell from an unknown type to a type some others reach for free', () => {
    for (const to of ['text', 'varchar(200)', 'numeric', 'timestamptz', 'inet'])
      expect(typeChangeVerdict(undefined, type(to), false).kind, to).toBe('unknown');
  });

  it('knows every unknown type to bigint, uuid, jsonb or an array rewrites', () => {
    for (const to of ['int8', 'uuid', 'jsonb', 'text[]'])
      expect(typeChangeVerdict(undefined, type(to), false).kind, to).toBe('rewrite');
  });

  it('cannot promise no rewrite when a USING expression is given', () => {
    expect(typeChangeVerdict(type('varchar(20)'), type('text'), true).kind).toBe('unknown');
    expect(typeChangeVerdict(type('int4'), type('int8'), true).kind).toBe('rewrite');
  });
});
