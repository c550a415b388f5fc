import type { ColumnSpec, ExpressionSpec } from '../sql-statement.js';

/*
 * Since PostgreSQL 11, ADD COLUMN with a non-volatile default stores the value once in the
 * catalog and rewrites nothing; now() is STABLE and fine. A VOLATILE default must be
 * computed for every existing row, so the table is rewritten under ACCESS EXCLUSIVE.
 */

/** Built-in and common-extension functions marked VOLATILE in pg_proc. */
export const VOLATILE_FUNCTIONS: ReadonlySet<string> = new Set([
  'random',
  'random_normal',
  'setseed',
  'gen_random_uuid',
  'uuidv4',
  'uuidv7',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'gen_random_bytes',
  'clock_timestamp',
  'timeofday',
  'nextval',
  'setval',
]);

/** Functions known to be IMMUTABLE or STABLE: evaluated once for ADD COLUMN. */
export const NON_VOLATILE_FUNCTIONS: ReadonlySet<string> = new Set([
  'now',
  'transaction_timestamp',
  'statement_timestamp',
  'current_setting',
  'timezone',
  'date_trunc',
  'make_interval',
  'make_date',
  'make_timestamp',
  'make_timestamptz',
  'to_timestamp',
  'to_char',
  'to_date',
  'to_json',
  'to_jsonb',
  'json_build_object',
  'jsonb_build_object',
  'json_build_array',
  'jsonb_build_array',
  'array_fill',
  'lower',
  'upper',
  'concat',
  'length',
  'md5',
  'abs',
  'round',
  'uuid_nil',
  'uuid_ns_url',
  'uuid_ns_dns',
  'uuid_ns_oid',
  'uuid_ns_x500',
]);

const SERIAL = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);

export type DefaultVolatility =
  | { readonly kind: 'none' }
  | { readonly kind: 'volatile'; readonly what: string }
  | { readonly kind: 'unknown'; readonly functions: readonly string[] };

/** What an added column's value costs: nothing, a rewrite, or a function eclusa does not know. */
export function defaultVolatility(column: ColumnSpec): DefaultVolatility {
  if (SERIAL.has(column.type.name.toLowerCase()))
    return { kind: 'volatile', what: `${column.type.name} (a nextval() default)` };
  if (column.identity) return { kind: 'volatile', what: 'an identity column' };
  if (column.generatedStored) return { kind: 'volatile', what: 'a stored generated column' };
  return expressionVolatility(column.default);
}

export function expressionVolatility(expression: ExpressionSpec | undefined): DefaultVolatility {
  if (expression === undefined) return { kind: 'none' };
  const volatile = expression.calls.find((call) => VOLATILE_FUNCTIONS.has(call));
  if (volatile !== undefined) return { kind: 'volatile', what: `${volatile}()` };
  const unknown = [
    ...new Set(expression.calls.filter((call) => !NON_VOLATILE_FUNCTIONS.has(call))),
  ];
  return unknown.length > 0 ? { kind: 'unknown', functions: unknown } : { kind: 'none' };
}
