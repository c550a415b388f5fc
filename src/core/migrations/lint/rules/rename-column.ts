import { formatName } from '../../qualified-name.js';
import type { LintRule } from '../lint-rule.js';

export const renameColumn: LintRule = {
  id: 'rename-column',
  severity: 'error',
  summary: 'ALTER TABLE … RENAME COLUMN on a table in use',
  why: 'Old and new code run side by side during a deploy (and again after a rollback); one of them always names the wrong column.',
  fix: 'Expand/contract: add the new column, write both (a trigger or the application), backfill in batches, switch reads, then deprecate and drop the old column in a later release.',
  examples: {
    bad: "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nALTER TABLE users RENAME COLUMN mail TO email;",
    good: "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nALTER TABLE users ADD COLUMN IF NOT EXISTS email text;\n-- the application writes both columns and a batch job backfills email from mail",
  },
  statement: (statement, context) => {
    const action = statement.action;
    if (action.kind !== 'rename' || action.object !== 'column') return [];
    if (context.isNewTable(action.target)) return [];
    const table = formatName(action.target);
    return [
      {
        message: `renaming ${table}.${action.from} to ${action.to} breaks every query of the running release that names ${action.from}`,
        fix: `ADD COLUMN IF NOT EXISTS ${action.to} to ${table}, write both, backfill, switch reads, then -- eclusa:deprecate column ${table}.${action.from} and drop it in a later release`,
      },
    ];
  },
};
