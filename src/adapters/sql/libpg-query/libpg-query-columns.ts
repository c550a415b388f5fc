import type { ColumnDef, Constraint, Node, TypeName } from 'libpg-query';
import type {
  ColumnSpec,
  ConstraintKind,
  ConstraintSpec,
  ExpressionSpec,
  TypeSpec,
} from '../../../core/migrations/sql-statement.js';
import { calledFunctions, names, nodeAs, rangeVarName } from './libpg-query-nodes.js';

export function typeSpec(type: TypeName | undefined): TypeSpec {
  const parts = names(type?.names);
  const name = parts.at(-1) ?? '';
  const schema = parts.length > 1 ? parts.at(-2) : undefined;
  const modifiers: number[] = [];
  let numeric = true;
  for (const modifier of type?.typmods ?? []) {
    const constant = nodeAs(modifier, 'A_Const');
    if (constant?.ival === undefined) numeric = false;
    else modifiers.push(constant.ival.ival ?? 0);
  }
  return {
    name,
    // pg_catalog is where the grammar puts SQL's own types (integer, varchar …): not a choice.
    ...(schema === undefined || schema === 'pg_catalog' ? {} : { schema }),
    ...(numeric && modifiers.length > 0 ? { modifiers } : {}),
    array: (type?.arrayBounds?.length ?? 0) > 0,
  };
}

export function expressionSpec(node: Node): ExpressionSpec {
  const inner = nodeAs(node, 'TypeCast')?.arg ?? node;
  return {
    calls: calledFunctions(node),
    isNull: nodeAs(inner, 'A_Const')?.isnull === true,
  };
}

const KINDS: Partial<Record<NonNullable<Constraint['contype']>, ConstraintKind>> = {
  CONSTR_CHECK: 'check',
  CONSTR_FOREIGN: 'foreign-key',
  CONSTR_UNIQUE: 'unique',
  CONSTR_PRIMARY: 'primary-key',
  CONSTR_EXCLUSION: 'exclusion',
  CONSTR_NOTNULL: 'not-null',
};

/** `CHECK (col IS NOT NULL)` or `NOT NULL col`: the column it proves has no NULL. */
function notNullColumn(constraint: Constraint): string | undefined {
  if (constraint.contype === 'CONSTR_NOTNULL') return names(constraint.keys)[0];
  if (constraint.contype !== 'CONSTR_CHECK') return undefined;
  const test = nodeAs(constraint.raw_expr, 'NullTest');
  if (test?.nulltesttype !== 'IS_NOT_NULL') return undefined;
  const fields = names(nodeAs(test.arg, 'ColumnRef')?.fields);
  return fields.length === 1 ? fields[0] : undefined;
}

export function constraintSpec(constraint: Constraint): ConstraintSpec {
  const column = notNullColumn(constraint);
  return {
    kind: KINDS[constraint.contype ?? 'CONSTR_NULL'] ?? 'other',
    ...(constraint.conname === undefined ? {} : { name: constraint.conname }),
    notValid: constraint.skip_validation === true,
    ...(constraint.indexname === undefined ? {} : { usingIndex: constraint.indexname }),
    ...(constraint.pktable === undefined ? {} : { references: rangeVarName(constraint.pktable) }),
    ...(column === undefined ? {} : { notNullColumn: column }),
  };
}

export function columnSpec(column: ColumnDef | undefined): ColumnSpec {
  let notNull = column?.is_not_null === true;
  let defaultValue: ExpressionSpec | undefined;
  let identity = false;
  let generatedStored = false;
  const constraints: ConstraintSpec[] = [];
  for (const node of column?.constraints ?? []) {
    const constraint = nodeAs(node, 'Constraint');
    if (constraint === undefined) continue;
    switch (constraint.contype) {
      case 'CONSTR_NOTNULL':
        notNull = true;
        break;
      case 'CONSTR_DEFAULT':
        if (constraint.raw_expr !== undefined) defaultValue = expressionSpec(constraint.raw_expr);
        break;
      case 'CONSTR_IDENTITY':
        identity = true;
        break;
      case 'CONSTR_GENERATED':
        // PostgreSQL 18 defaults to VIRTUAL ('v'); older grammars only had STORED.
        generatedStored = constraint.generated_kind !== 'v';
        break;
      case 'CONSTR_PRIMARY':
        notNull = true;
        constraints.push(constraintSpec(constraint));
        break;
      case 'CONSTR_CHECK':
      case 'CONSTR_FOREIGN':
      case 'CONSTR_UNIQUE':
      case 'CONSTR_EXCLUSION':
        constraints.push(constraintSpec(constraint));
        break;
      default:
        break;
    }
  }
  return {
    name: column?.colname ?? '',
    type: typeSpec(column?.typeName),
    notNull,
    ...(defaultValue === undefined ? {} : { default: defaultValue }),
    identity,
    generatedStored,
    constraints,
  };
}
