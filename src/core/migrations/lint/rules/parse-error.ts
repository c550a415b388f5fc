import type { LintRule } from '../lint-rule.js';

/** Reported by the linter itself: a file PostgreSQL's grammar rejects is never skipped. */
export const parseError: LintRule = {
  id: 'parse-error',
  severity: 'error',
  summary: 'a file PostgreSQL’s grammar rejects',
  why: 'PostgreSQL would reject it at deploy time, after the migrations before it already ran; nothing in the file can be checked either.',
  fix: 'Fix the syntax at the line PostgreSQL names (the message is PostgreSQL’s own).',
  examples: {
    bad: 'CREATE TABEL IF NOT EXISTS invoices (id bigint PRIMARY KEY);',
    good: 'CREATE TABLE IF NOT EXISTS invoices (id bigint PRIMARY KEY);',
  },
};
