import { formatName } from '../../qualified-name.js';
import { isIndexOfNewTable } from '../blocking-locks.js';
import type { LintRule, RuleHit } from '../lint-rule.js';

export const indexWithoutConcurrently: LintRule = {
  id: 'index-without-concurrently',
  severity: 'error',
  summary: 'CREATE INDEX, DROP INDEX or REINDEX without CONCURRENTLY on an existing table',
  why: 'A plain CREATE INDEX blocks every write to the table for the whole build (minutes on a big table); DROP INDEX and REINDEX take an ACCESS EXCLUSIVE lock that blocks reads too.',
  fix: 'CREATE INDEX CONCURRENTLY / DROP INDEX CONCURRENTLY / REINDEX … CONCURRENTLY, in a file that starts with -- eclusa:no-transaction (CONCURRENTLY cannot run inside a transaction).',
  examples: {
    bad: "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nCREATE INDEX IF NOT EXISTS orders_customer_idx ON orders (customer_id);",
    good: "-- eclusa:no-transaction\nSET lock_timeout = '5s';\nSET statement_timeout = '30min';\nCREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_idx ON orders (customer_id);",
  },
  statement: (statement, context) => {
    const action = statement.action;
    const fix =
      'use CONCURRENTLY in a file that starts with -- eclusa:no-transaction, one index per file';
    if (action.kind === 'create-index' && !action.concurrently && !context.isNewTable(action.table))
      return [
        {
          message: `CREATE INDEX${action.name === undefined ? '' : ` ${action.name}`} blocks all writes to ${formatName(action.table)} until the index is built`,
          fix: `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${action.name ?? 'name'} ON ${formatName(action.table)} …; ${fix}`,
        },
      ];
    if (action.kind === 'drop' && action.object === 'index' && !action.concurrently)
      return action.names
        .filter((name) => !isIndexOfNewTable(context, name))
        .map((name): RuleHit => ({
          message: `DROP INDEX ${formatName(name)} takes an ACCESS EXCLUSIVE lock on its table, blocking reads and writes`,
          fix: `DROP INDEX CONCURRENTLY IF EXISTS ${formatName(name)}; ${fix}`,
        }));
    if (action.kind === 'reindex' && !action.concurrently)
      return [
        {
          message: `REINDEX ${action.target} locks out writes (and reads that use the index) until it finishes`,
          fix: `REINDEX … CONCURRENTLY ${action.target}; ${fix}`,
        },
      ];
    return [];
  },
};
