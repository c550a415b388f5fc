import { formatName } from '../../qualified-name.js';
import { defaultVolatility } from '../default-volatility.js';
import type { LintRule, RuleHit } from '../lint-rule.js';

export const volatileDefault: LintRule = {
  id: 'volatile-default',
  severity: 'error',
  summary:
    'ADD COLUMN with a volatile default (random(), gen_random_uuid(), clock_timestamp(), serial, identity, stored generated) on an existing table',
  why: 'Since PostgreSQL 11 a non-volatile default (a constant, now(), CURRENT_TIMESTAMP) is stored once and rewrites nothing. A volatile one has to be computed for every existing row: the whole table is rewritten under an ACCESS EXCLUSIVE lock.',
  fix: 'Add the column without a default (or with a constant), backfill existing rows in batches, then ALTER COLUMN … SET DEFAULT for new rows (that only changes the catalog).',
  examples: {
    bad: "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nALTER TABLE orders ADD COLUMN IF NOT EXISTS public_id uuid DEFAULT gen_random_uuid();",
    good: "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nALTER TABLE orders ADD COLUMN IF NOT EXISTS public_id uuid;\nALTER TABLE orders ALTER COLUMN public_id SET DEFAULT gen_random_uuid();\n-- a batch job fills public_id for existing rows",
  },
  statement: (statement, context) => {
    const action = statement.action;
    if (action.kind !== 'alter-table' || context.isNewTable(action.table)) return [];
    return action.commands.flatMap((command): RuleHit[] => {
      if (command.kind !== 'add-column') return [];
      const verdict = defaultVolatility(command.column);
      if (verdict.kind !== 'volatile') return [];
      return [
        {
          message: `column ${command.column.name} is filled by ${verdict.what}, computed for every existing row: ${formatName(action.table)} is rewritten under an ACCESS EXCLUSIVE lock`,
          fix: `ADD COLUMN IF NOT EXISTS ${command.column.name} without that default, backfill in batches, then ALTER COLUMN ${command.column.name} SET DEFAULT … for new rows`,
        },
      ];
    });
  },
};
