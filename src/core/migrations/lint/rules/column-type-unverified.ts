import { formatName } from '../../qualified-name.js';
import type { LintRule, RuleHit } from '../lint-rule.js';
import { typeChangeVerdict } from '../type-change.js';

export const columnTypeUnverified: LintRule = {
  id: 'column-type-unverified',
  severity: 'warning',
  summary: 'ALTER COLUMN … TYPE whose cost depends on something eclusa cannot see',
  why: 'Changing to text, varchar, numeric, timestamptz … is free from some old types and a full rewrite from others. eclusa knows a column’s type only when a migration in the same folder created or changed it; timestamp ↔ timestamptz also depends on the session TimeZone, and a USING expression can force a rewrite.',
  fix: 'Check the current type (\\d table) against the cases in docs/migration-lint.md; if it is binary-compatible, keep the statement with -- eclusa:allow column-type-unverified reason: …',
  examples: {
    bad: "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nALTER TABLE users ALTER COLUMN name TYPE text;",
    good: {
      '001_users.up.sql':
        'CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY, name varchar(50));',
      '002_users_name_text.up.sql':
        "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nALTER TABLE users ALTER COLUMN name TYPE text;",
    },
  },
  statement: (statement, context) => {
    const action = statement.action;
    if (action.kind !== 'alter-table' || context.isNewTable(action.table)) return [];
    return action.commands.flatMap((command): RuleHit[] => {
      if (command.kind !== 'alter-column-type') return [];
      const from = context.catalog.columnType(action.table, command.column);
      const verdict = typeChangeVerdict(from, command.type, command.using);
      if (verdict.kind !== 'unknown') return [];
      return [
        {
          message: `the type change of ${formatName(action.table)}.${command.column} may rewrite the table: ${verdict.why}`,
        },
      ];
    });
  },
};
