import type { LintRule } from '../lint-rule.js';

/** Reported by the linter itself while it reads `-- eclusa:` comments. */
export const invalidDirective: LintRule = {
  id: 'invalid-directive',
  severity: 'error',
  summary: 'an eclusa: comment eclusa cannot read, or one in the wrong place',
  why: 'A misspelt directive silently does nothing: the suppression does not suppress, the deprecation does not count, the file is wrapped in a transaction after all.',
  fix: 'Use -- eclusa:no-transaction (before the first statement), -- eclusa:allow RULE reason: …, or -- eclusa:deprecate table|column|schema NAME since VERSION.',
  examples: {
    bad: '-- eclusa:alow truncate-table reason: the cache is rebuilt on start\nSELECT 1;',
    good: '-- eclusa:no-transaction\nSELECT 1;',
  },
};
