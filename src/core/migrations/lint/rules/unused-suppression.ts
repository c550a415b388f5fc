import type { LintRule } from '../lint-rule.js';

/** Reported by the linter itself when an eclusa:allow matched nothing. */
export const unusedSuppression: LintRule = {
  id: 'unused-suppression',
  severity: 'warning',
  summary: 'an eclusa:allow comment whose next statement has no such finding',
  why: 'A stale suppression is misleading, and it would silently hide a real finding if the statement below it changes.',
  fix: 'Remove the comment, or move it right above the statement it is meant for.',
  examples: {
    bad: '-- eclusa:allow truncate-table reason: the cache is rebuilt on start\nSELECT 1;',
    good: 'SELECT 1;',
  },
};
