import { formatName } from '../../qualified-name.js';
import type { LintRule } from '../lint-rule.js';

export const truncateTable: LintRule = {
  id: 'truncate-table',
  severity: 'error',
  summary: 'TRUNCATE in a migration',
  why: 'TRUNCATE deletes every row at once, takes an ACCESS EXCLUSIVE lock, and cannot be undone by a down migration: the data is gone until a restore.',
  fix: 'Delete what must go with a bounded DELETE … WHERE in batches, or, when the data really is disposable, keep the TRUNCATE with -- eclusa:allow truncate-table reason: …',
  examples: {
    bad: "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nTRUNCATE audit_cache;",
    good: "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\n-- eclusa:allow truncate-table reason: audit_cache is rebuilt from events on start\nTRUNCATE audit_cache;",
  },
  statement: (statement, context) => {
    const action = statement.action;
    if (action.kind !== 'truncate') return [];
    const existing = action.tables.filter((table) => !context.isNewTable(table));
    if (existing.length === 0) return [];
    return [
      {
        message: `TRUNCATE ${existing.map(formatName).join(', ')} deletes every row and no down migration can bring them back`,
      },
    ];
  },
};
