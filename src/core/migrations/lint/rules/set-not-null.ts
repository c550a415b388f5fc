import { formatName } from '../../qualified-name.js';
import type { LintRule, RuleHit } from '../lint-rule.js';

export const setNotNull: LintRule = {
  id: 'set-not-null',
  severity: 'error',
  summary: 'ALTER COLUMN … SET NOT NULL without a validated CHECK (col IS NOT NULL) first',
  why: 'SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock: no reads or writes until every row is checked. Since PostgreSQL 12 the scan is skipped when a validated CHECK constraint already proves the column has no NULL.',
  fix: 'ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID; then, in a later transaction, VALIDATE CONSTRAINT c (no write lock); then SET NOT NULL (no scan) and DROP CONSTRAINT c.',
  examples: {
    bad: "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;",
    good: {
      '001_orders_customer_check.up.sql':
        "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nALTER TABLE orders ADD CONSTRAINT orders_customer_id_not_null CHECK (customer_id IS NOT NULL) NOT VALID;",
      '002_orders_customer_validate.up.sql':
        "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30min';\nALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_not_null;",
      '003_orders_customer_not_null.up.sql':
        "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;\nALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_customer_id_not_null;",
    },
  },
  statement: (statement, context) => {
    const action = statement.action;
    if (action.kind !== 'alter-table' || context.isNewTable(action.table)) return [];
    return action.commands.flatMap((command): RuleHit[] => {
      if (command.kind !== 'set-not-null') return [];
      if (context.catalog.provesNotNull(action.table, command.column)) return [];
      const table = formatName(action.table);
      return [
        {
          message: `SET NOT NULL on ${table}.${command.column} scans the whole table while holding an ACCESS EXCLUSIVE lock`,
          fix: `ADD CONSTRAINT ${action.table.name}_${command.column}_not_null CHECK (${command.column} IS NOT NULL) NOT VALID; VALIDATE it in a later transaction; then SET NOT NULL`,
        },
      ];
    });
  },
};
