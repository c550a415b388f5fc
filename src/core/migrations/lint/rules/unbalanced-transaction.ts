import type { LintRule } from '../lint-rule.js';

export const unbalancedTransaction: LintRule = {
  id: 'unbalanced-transaction',
  severity: 'error',
  summary:
    'BEGIN without COMMIT, COMMIT without BEGIN, or BEGIN inside BEGIN in a no-transaction file',
  why: 'An unclosed BEGIN leaves the runner’s connection inside a transaction that is rolled back when it closes, undoing the migration after it was recorded as applied; a stray COMMIT or a nested BEGIN means the file does not do what its author thought.',
  fix: 'Pair every BEGIN with one COMMIT in the same file, or drop both and let the runner wrap the file (remove -- eclusa:no-transaction).',
  examples: {
    bad: "-- eclusa:no-transaction\nBEGIN;\nSET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nALTER TABLE orders ADD COLUMN IF NOT EXISTS note text;",
    good: "-- eclusa:no-transaction\nBEGIN;\nSET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nALTER TABLE orders ADD COLUMN IF NOT EXISTS note text;\nCOMMIT;",
  },
  statement: (statement, context) => {
    const action = statement.action;
    if (context.wrapped || action.kind !== 'transaction') return [];
    if (action.action === 'begin' && context.openBeginLine !== undefined)
      return [
        {
          message: `BEGIN inside the transaction opened at line ${context.openBeginLine}: PostgreSQL ignores it with a warning and the first COMMIT ends both`,
          fix: 'remove the inner BEGIN (use SAVEPOINT for a nested step)',
        },
      ];
    if (
      (action.action === 'commit' || action.action === 'rollback') &&
      context.openBeginLine === undefined
    )
      return [
        {
          message: `${action.action.toUpperCase()} without a BEGIN: there is no transaction to end`,
          fix: 'remove it, or add the BEGIN it belongs to',
        },
      ];
    return [];
  },
  fileEnd: (context) =>
    !context.wrapped && context.openBeginLine !== undefined
      ? [
          {
            line: context.openBeginLine,
            message: `BEGIN at line ${context.openBeginLine} is never committed: the work after it is rolled back when the connection closes`,
            fix: 'end the transaction with COMMIT; in this file',
          },
        ]
      : [],
};
