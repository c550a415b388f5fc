import { formatName } from '../../qualified-name.js';
import type { ColumnSpec } from '../../sql-statement.js';
import type { LintRule, RuleHit } from '../lint-rule.js';

const FILLS_ITSELF = /^(small|big)?serial[248]?$/i;

function fillsExistingRows(column: ColumnSpec): boolean {
  if (column.identity || column.generatedStored || FILLS_ITSELF.test(column.type.name)) return true;
  return column.default !== undefined && !column.default.isNull;
}

function isNotNull(column: ColumnSpec): boolean {
  return column.notNull || column.constraints.some((c) => c.kind === 'primary-key');
}

export const notNullWithoutDefault: LintRule = {
  id: 'not-null-without-default',
  severity: 'error',
  summary: 'ADD COLUMN … NOT NULL without a DEFAULT on an existing table',
  why: 'Existing rows have no value for the new column, so the statement fails on any table with rows (and the release that does not write the column yet would fail its inserts too).',
  fix: 'Add the column with a non-volatile DEFAULT (no rewrite since PostgreSQL 11), or add it nullable, backfill in batches, and enforce NOT NULL later with a validated CHECK.',
  examples: {
    bad: "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nALTER TABLE orders ADD COLUMN IF NOT EXISTS currency text NOT NULL;",
    good: "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nALTER TABLE orders ADD COLUMN IF NOT EXISTS currency text NOT NULL DEFAULT 'BRL';",
  },
  statement: (statement, context) => {
    const action = statement.action;
    if (action.kind !== 'alter-table' || context.isNewTable(action.table)) return [];
    return action.commands.flatMap((command): RuleHit[] => {
      if (command.kind !== 'add-column') return [];
      const column = command.column;
      if (!isNotNull(column) || fillsExistingRows(column)) return [];
      return [
        {
          message: `ADD COLUMN ${column.name} NOT NULL without a DEFAULT fails on every row ${formatName(action.table)} already has`,
          fix: `ADD COLUMN IF NOT EXISTS ${column.name} … NOT NULL DEFAULT <constant>, or add it nullable, backfill, then add CHECK (${column.name} IS NOT NULL) NOT VALID and VALIDATE it`,
        },
      ];
    });
  },
};
