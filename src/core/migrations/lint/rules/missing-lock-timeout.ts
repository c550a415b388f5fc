import { blockedTables } from '../blocking-locks.js';
import type { LintRule } from '../lint-rule.js';
import { ineffectiveLocalSetNote, setFor } from '../timeout-advice.js';

export const missingLockTimeout: LintRule = {
  id: 'missing-lock-timeout',
  severity: 'error',
  summary: 'a statement that locks an existing table, with no lock_timeout set before it',
  why: 'DDL waits for its lock behind any long-running query, and while it waits every other query on the table queues behind it: a one-second ALTER becomes a full outage. lock_timeout makes it give up (and the migration fail, retryably) instead.',
  fix: "Start the file with SET LOCAL lock_timeout = '5s' (SET lock_timeout in a -- eclusa:no-transaction file), and retry the migration if it times out.",
  examples: {
    bad: "SET LOCAL statement_timeout = '30s';\nALTER TABLE orders ADD COLUMN IF NOT EXISTS note text;",
    good: "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nALTER TABLE orders ADD COLUMN IF NOT EXISTS note text;",
  },
  statement: (statement, context) => {
    if (context.lockTimeout) return [];
    const tables = blockedTables(statement, context);
    if (tables.length === 0) return [];
    return [
      {
        message: `this statement locks ${tables.join(', ')} with no lock_timeout set: if it waits for the lock, every query on the table waits behind it${ineffectiveLocalSetNote(context)}`,
        fix: `${setFor(context, 'lock_timeout', '5s')}; at the top of the file`,
      },
    ];
  },
};
