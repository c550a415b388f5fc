import { formatName } from '../../qualified-name.js';
import type { LintRule, RuleHit } from '../lint-rule.js';
import { typeChangeVerdict } from '../type-change.js';

export const columnTypeRewrite: LintRule = {
  id: 'column-type-rewrite',
  severity: 'error',
  summary: 'ALTER COLUMN … TYPE that rewrites the table',
  why: 'Unless the old values are valid bytes of the new type (varchar(n) → varchar(m ≥ n) or text, numeric(p,s) → numeric(q ≥ p,s), cidr → inet …), PostgreSQL copies every row and rebuilds every index under an ACCESS EXCLUSIVE lock; int → bigint is the classic outage.',
  fix: 'Expand/contract: add a column of the new type, keep both written (trigger or application), backfill in batches, switch reads, then deprecate and drop the old column in a later release.',
  examples: {
    bad: "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nALTER TABLE events ALTER COLUMN id TYPE bigint;",
    good: {
      '001_users.up.sql':
        'CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY, name varchar(50));',
      '002_users_longer_name.up.sql':
        "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nALTER TABLE users ALTER COLUMN name TYPE varchar(200);",
    },
  },
  statement: (statement, context) => {
    const action = statement.action;
    if (action.kind !== 'alter-table' || context.isNewTable(action.table)) return [];
    return action.commands.flatMap((command): RuleHit[] => {
      if (command.kind !== 'alter-column-type') return [];
      const from = context.catalog.columnType(action.table, command.column);
      const verdict = typeChangeVerdict(from, command.type, command.using);
      if (verdict.kind !== 'rewrite') return [];
      const column = `${formatName(action.table)}.${command.column}`;
      return [
        {
          message: `changing the type of ${column} rewrites the whole table under an ACCESS EXCLUSIVE lock: ${verdict.why}`,
          fix: `add a new column of the new type, write both, backfill in batches, switch reads, then deprecate and drop ${column} in a later release`,
        },
      ];
    });
  },
};
