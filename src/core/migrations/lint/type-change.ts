import type { TypeSpec } from '../sql-statement.js';

/*
 * When `ALTER COLUMN … TYPE` rewrites the table. PostgreSQL skips the rewrite (and the
 * index rebuilds) only when the old values are valid bytes of the new type: a binary-
 * coercible cast with no length check that could fail. Everything else copies every row
 * under an ACCESS EXCLUSIVE lock.
 */

export type TypeChangeVerdict =
  | { readonly kind: 'no-rewrite' }
  | { readonly kind: 'rewrite'; readonly why: string }
  | { readonly kind: 'unknown'; readonly why: string };

/** Aliases the parser leaves as written. */
const ALIASES: Readonly<Record<string, string>> = {
  int: 'int4',
  integer: 'int4',
  bigint: 'int8',
  smallint: 'int2',
  serial: 'int4',
  serial4: 'int4',
  bigserial: 'int8',
  serial8: 'int8',
  smallserial: 'int2',
  serial2: 'int2',
  decimal: 'numeric',
  'character varying': 'varchar',
  character: 'bpchar',
  char: 'bpchar',
  'bit varying': 'varbit',
  bool: 'bool',
};

export function canonicalType(name: string): string {
  const lower = name.toLowerCase();
  return ALIASES[lower] ?? lower;
}

/** Types whose modifier is a length or precision that can grow without touching the rows. */
const GROWABLE = new Set(['varchar', 'varbit', 'timestamp', 'timestamptz', 'time', 'timetz']);
/** Targets some other type reaches without a rewrite: worth a look at the old type. */
const SOMETIMES_FREE = new Set([
  'text',
  'varchar',
  'numeric',
  'varbit',
  'inet',
  'timestamp',
  'timestamptz',
  'time',
  'timetz',
]);

function show(type: TypeSpec): string {
  const mods = type.modifiers ? `(${type.modifiers.join(',')})` : '';
  return `${canonicalType(type.name)}${mods}${type.array ? '[]' : ''}`;
}

function sameModifiers(a: TypeSpec, b: TypeSpec): boolean {
  return (a.modifiers ?? []).join(',') === (b.modifiers ?? []).join(',');
}

function sameBase(from: TypeSpec, to: TypeSpec, base: string): TypeChangeVerdict {
  const rewrite = (): TypeChangeVerdict => ({
    kind: 'rewrite',
    why: `${show(from)} → ${show(to)} has to check or convert every value`,
  });
  if (sameModifiers(from, to)) return { kind: 'no-rewrite' };
  if (to.modifiers === undefined && (GROWABLE.has(base) || base === 'numeric'))
    return { kind: 'no-rewrite' };
  const [fromFirst, fromScale = 0] = from.modifiers ?? [];
  const [toFirst, toScale = 0] = to.modifiers ?? [];
  if (fromFirst === undefined || toFirst === undefined) return rewrite();
  if (GROWABLE.has(base)) return toFirst >= fromFirst ? { kind: 'no-rewrite' } : rewrite();
  if (base === 'numeric')
    return toFirst >= fromFirst && toScale === fromScale ? { kind: 'no-rewrite' } : rewrite();
  return rewrite();
}

/** Whether changing a column from `from` (undefined: not known) to `to` rewrites the table. */
export function typeChangeVerdict(
  from: TypeSpec | undefined,
  to: TypeSpec,
  using: boolean,
): TypeChangeVerdict {
  const target = canonicalType(to.name);
  if (from === undefined) {
    return SOMETIMES_FREE.has(target) && !to.array
      ? {
          kind: 'unknown',
          why: `changing to ${show(to)} avoids a rewrite only from some types (e.g. varchar(n) → varchar(m ≥ n) or text), and no earlier migration in this folder says what the column is`,
        }
      : {
          kind: 'rewrite',
          why: `changing a column to ${show(to)} rewrites every row (unless it already is ${show(to)})`,
        };
  }
  const verdict = withoutUsing(from, to);
  if (using && verdict.kind === 'no-rewrite')
    return {
      kind: 'unknown',
      why: `${show(from)} → ${show(to)} needs no rewrite, but a USING expression other than a plain cast of the column forces one`,
    };
  return verdict;
}

function withoutUsing(from: TypeSpec, to: TypeSpec): TypeChangeVerdict {
  const source = canonicalType(from.name);
  const target = canonicalType(to.name);
  if (from.array || to.array) {
    return from.array === to.array && source === target && sameModifiers(from, to)
      ? { kind: 'no-rewrite' }
      : { kind: 'rewrite', why: `${show(from)} → ${show(to)} converts every array` };
  }
  if (source === target) return sameBase(from, to, source);
  if (source === 'varchar' && target === 'text') return { kind: 'no-rewrite' };
  if (source === 'text' && target === 'varchar' && to.modifiers === undefined)
    return { kind: 'no-rewrite' };
  if (source === 'cidr' && target === 'inet') return { kind: 'no-rewrite' };
  if (
    (source === 'timestamp' && target === 'timestamptz') ||
    (source === 'timestamptz' && target === 'timestamp')
  )
    return {
      kind: 'unknown',
      why: `${show(from)} → ${show(to)} skips the rewrite only when the session TimeZone is UTC (PostgreSQL ≥ 12)`,
    };
  return {
    kind: 'rewrite',
    why: `${show(from)} → ${show(to)} is not binary-compatible: every row is rewritten${source === 'int4' && target === 'int8' ? ' (int → bigint is the classic case)' : ''}`,
  };
}
