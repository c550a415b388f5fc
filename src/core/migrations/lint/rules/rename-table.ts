import { formatName, objectKey } from '../../qualified-name.js';
import type { LintRule } from '../lint-rule.js';

export const renameTable: LintRule = {
  id: 'rename-table',
  severity: 'error',
  summary: 'ALTER TABLE … RENAME TO without a view that keeps the old name working',
  why: 'The release still running queries the old name; from the moment the rename commits until every instance runs the new code, those queries fail. Rolling back the code breaks it again.',
  fix: 'Rename and, in the same transaction, create a view with the old name (a simple view is updatable, so old code keeps reading and writing); drop the view in a later release.',
  examples: {
    bad: "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nALTER TABLE customers RENAME TO clients;",
    good: "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nALTER TABLE customers RENAME TO clients;\nCREATE OR REPLACE VIEW customers AS SELECT * FROM clients;",
  },
  statement: (statement, context) => {
    const action = statement.action;
    if (action.kind !== 'rename' || action.object !== 'table') return [];
    if (context.isNewTable(action.target)) return [];
    const old = objectKey(action.target);
    const bridged = context
      .sameTransactionAfter()
      .some(
        ({ action: later }) =>
          later.kind === 'create-object' &&
          later.object === 'view' &&
          objectKey(later.name) === old,
      );
    if (bridged) return [];
    const name = formatName(action.target);
    return [
      {
        message: `renaming ${name} to ${action.to} breaks every query of the running release that names ${name}`,
        fix: `in the same transaction: CREATE OR REPLACE VIEW ${name} AS SELECT * FROM ${action.to}; drop the view in a later release`,
      },
    ];
  },
};
