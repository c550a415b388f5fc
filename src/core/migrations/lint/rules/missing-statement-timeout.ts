import { blockedTables } from '../blocking-locks.js';
import type { LintRule } from '../lint-rule.js';
import { ineffectiveLocalSetNote, setFor } from '../timeout-advice.js';

export const missingStatementTimeout: LintRule = {
  id: 'missing-statement-timeout',
  severity: 'warning',
  summary: 'a statement that locks an existing table, with no statement_timeout set before it',
  why: 'Once it holds its lock, a statement that runs longer than expected (a scan, a rewrite) blocks the table for as long as it runs. statement_timeout bounds that time.',
  fix: "SET LOCAL statement_timeout = '30s' (or what the change needs) at the top of the file; SET in a -- eclusa:no-transaction file.",
  examples: {
    bad: "SET LOCAL lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN IF NOT EXISTS note text;",
    good: "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nALTER TABLE orders ADD COLUMN IF NOT EXISTS note text;",
  },
  statement: (statement, context) => {
    if (context.statementTimeout) return [];
    const tables = blockedTables(statement, context);
    if (tables.length === 0) return [];
    return [
      {
        message: `this statement locks ${tables.join(', ')} with no statement_timeout: nothing bounds how long it holds the lock${ineffectiveLocalSetNote(context)}`,
        fix: `${setFor(context, 'statement_timeout', '30s')}; at the top of the file`,
      },
    ];
  },
};
