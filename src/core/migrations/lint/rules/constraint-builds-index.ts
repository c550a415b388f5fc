import { formatName } from '../../qualified-name.js';
import type { ConstraintSpec } from '../../sql-statement.js';
import type { LintRule, RuleHit } from '../lint-rule.js';

const INDEXED: Readonly<Record<string, string>> = {
  unique: 'UNIQUE',
  'primary-key': 'PRIMARY KEY',
  exclusion: 'EXCLUDE',
};

function builds(constraint: ConstraintSpec): string | undefined {
  return constraint.usingIndex === undefined ? INDEXED[constraint.kind] : undefined;
}

export const constraintBuildsIndex: LintRule = {
  id: 'constraint-builds-index',
  severity: 'error',
  summary: 'UNIQUE, PRIMARY KEY or EXCLUDE added to an existing table without USING INDEX',
  why: 'The constraint builds its index inside ALTER TABLE, under an ACCESS EXCLUSIVE lock: the table is unreadable and unwritable for the whole build.',
  fix: 'CREATE UNIQUE INDEX CONCURRENTLY first (its own -- eclusa:no-transaction file), then ALTER TABLE … ADD CONSTRAINT c UNIQUE USING INDEX i (or PRIMARY KEY USING INDEX i), which only adopts it.',
  examples: {
    bad: "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);",
    good: {
      '001_users_email_index.up.sql':
        "-- eclusa:no-transaction\nSET lock_timeout = '5s';\nSET statement_timeout = '30min';\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_key_idx ON users (email);",
      '002_users_email_key.up.sql':
        "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key_idx;",
    },
  },
  statement: (statement, context) => {
    const action = statement.action;
    if (action.kind !== 'alter-table' || context.isNewTable(action.table)) return [];
    const table = formatName(action.table);
    const hit = (what: string, name: string | undefined): RuleHit => ({
      message: `adding ${what}${name === undefined ? '' : ` ${name}`} builds an index on ${table} under an ACCESS EXCLUSIVE lock`,
      fix:
        what === 'EXCLUDE'
          ? 'exclusion constraints cannot adopt an index: run this in a maintenance window, or enforce the rule another way'
          : `CREATE UNIQUE INDEX CONCURRENTLY … in a -- eclusa:no-transaction file, then ADD CONSTRAINT … ${what} USING INDEX …`,
    });
    return action.commands.flatMap((command): RuleHit[] => {
      if (command.kind === 'add-constraint') {
        const what = builds(command.constraint);
        return what === undefined ? [] : [hit(what, command.constraint.name)];
      }
      if (command.kind === 'add-column')
        return command.column.constraints.flatMap((constraint) => {
          const what = builds(constraint);
          return what === undefined ? [] : [hit(what, `(new column ${command.column.name})`)];
        });
      return [];
    });
  },
};
