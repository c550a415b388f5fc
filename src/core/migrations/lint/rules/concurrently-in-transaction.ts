import type { SqlStatement } from '../../sql-statement.js';
import type { LintRule, StatementContext } from '../lint-rule.js';

/** What a statement is, when PostgreSQL refuses to run it inside a transaction block. */
function outsideOnly(statement: SqlStatement): string | undefined {
  const action = statement.action;
  if (action.kind === 'create-index' && action.concurrently) return 'CREATE INDEX CONCURRENTLY';
  if (action.kind === 'drop' && action.object === 'index' && action.concurrently)
    return 'DROP INDEX CONCURRENTLY';
  if (action.kind === 'reindex' && action.concurrently) return 'REINDEX CONCURRENTLY';
  if (
    action.kind === 'alter-table' &&
    action.commands.some((c) => c.kind === 'detach-partition' && c.concurrently)
  )
    return 'DETACH PARTITION CONCURRENTLY';
  if (action.kind === 'no-transaction-command') return action.command;
  return undefined;
}

function where(context: StatementContext): string {
  if (context.openBeginLine !== undefined)
    return `inside the transaction opened by BEGIN at line ${context.openBeginLine}`;
  return 'inside the transaction the runner wraps this file in (it does not start with -- eclusa:no-transaction)';
}

export const concurrentlyInTransaction: LintRule = {
  id: 'concurrently-in-transaction',
  severity: 'error',
  summary: 'CONCURRENTLY (or VACUUM, CREATE DATABASE …) inside a transaction',
  why: 'PostgreSQL refuses these statements inside a transaction block, so the migration fails at deploy time. The runner wraps every file in a transaction unless its first lines say -- eclusa:no-transaction.',
  fix: 'Put the statement in its own file that starts with -- eclusa:no-transaction, with no BEGIN around it.',
  examples: {
    bad: "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30min';\nCREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON users (email);",
    good: "-- eclusa:no-transaction\nSET lock_timeout = '5s';\nSET statement_timeout = '30min';\nCREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON users (email);",
  },
  statement: (statement, context) => {
    const what = outsideOnly(statement);
    if (what === undefined || (!context.wrapped && context.openBeginLine === undefined)) return [];
    return [
      {
        message: `${what} cannot run ${where(context)}; PostgreSQL rejects it and the migration fails`,
        fix:
          context.openBeginLine !== undefined
            ? 'move it out of BEGIN … COMMIT (the file already declares -- eclusa:no-transaction)'
            : 'move it to its own file whose first line is -- eclusa:no-transaction',
      },
    ];
  },
};
