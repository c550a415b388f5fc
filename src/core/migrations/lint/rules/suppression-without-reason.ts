import type { LintRule } from '../lint-rule.js';

/** Reported by the linter itself: a suppression must say why, for the reviewer and the audit. */
export const suppressionWithoutReason: LintRule = {
  id: 'suppression-without-reason',
  severity: 'error',
  summary: 'an eclusa:allow comment with no reason',
  why: 'A suppression is an exception to the team’s policy; without a written reason nobody can review it, and the finding it hides stays reported.',
  fix: 'Write the reason: -- eclusa:allow RULE reason: why this statement is safe here.',
  examples: {
    bad: "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\n-- eclusa:allow truncate-table\nTRUNCATE audit_cache;",
    good: "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\n-- eclusa:allow truncate-table reason: audit_cache is rebuilt from events on start\nTRUNCATE audit_cache;",
  },
};
