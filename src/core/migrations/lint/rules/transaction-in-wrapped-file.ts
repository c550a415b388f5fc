import type { LintRule } from '../lint-rule.js';

export const transactionInWrappedFile: LintRule = {
  id: 'transaction-in-wrapped-file',
  severity: 'error',
  summary: 'BEGIN, COMMIT or ROLLBACK in a file the runner already wraps in a transaction',
  why: 'The runner wraps every file in one transaction together with its ledger row, unless the file starts with -- eclusa:no-transaction. A COMMIT inside commits half the file and the rest runs outside any transaction; a BEGIN is ignored with a warning.',
  fix: 'Remove BEGIN/COMMIT and let the runner wrap the file, or start the file with -- eclusa:no-transaction and keep them balanced.',
  examples: {
    bad: "BEGIN;\nSET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nALTER TABLE orders ADD COLUMN IF NOT EXISTS note text;\nCOMMIT;",
    good: "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nALTER TABLE orders ADD COLUMN IF NOT EXISTS note text;",
  },
  statement: (statement, context) => {
    const action = statement.action;
    if (!context.wrapped || action.kind !== 'transaction') return [];
    if (action.action !== 'begin' && action.action !== 'commit' && action.action !== 'rollback')
      return [];
    return [
      {
        message: `${action.action.toUpperCase()} in a file the runner already runs inside a transaction (it does not start with -- eclusa:no-transaction)`,
        fix: 'remove it and let the runner wrap the file, or declare -- eclusa:no-transaction on the first line',
      },
    ];
  },
};
