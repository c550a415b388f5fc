import { describe, expect, it } from 'vitest';
import { LINT_RULES } from '../../src/core/migrations/lint/rule-registry.js';
import { lintSql } from './lint-sql.js';

/*
 * Every rule in the registry, on its own documented examples: the bad one makes it fire,
 * the safe rewrite makes no rule fire at all. docs/migration-lint.md shows the same SQL.
 */
describe.each(LINT_RULES.map((rule) => [rule.id, rule] as const))('rule %s', (id, rule) => {
  it('fires on the bad example', () => {
    const report = lintSql(rule.examples.bad, rule.examples.release);
    const hits = report.findings.filter((finding) => finding.rule === id);
    expect(hits.length, JSON.stringify(report.findings, null, 2)).toBeGreaterThan(0);
    for (const hit of hits) {
      expect(hit.severity).toBe(rule.severity);
      expect(hit.message.length).toBeGreaterThan(20);
      expect(hit.fix.length).toBeGreaterThan(10);
    }
  });

  it('stays silent on the safe rewrite, and so does every other rule', () => {
    const report = lintSql(rule.examples.good, rule.examples.release);
    expect(report.findings).toEqual([]);
  });
});

describe('the registry', () => {
  it('has unique kebab-case ids and documents every rule', () => {
    const ids = LINT_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of LINT_RULES) {
      expect(rule.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(rule.summary.length, rule.id).toBeGreaterThan(10);
      expect(rule.why.length, rule.id).toBeGreaterThan(40);
      expect(rule.fix.length, rule.id).toBeGreaterThan(20);
    }
  });
});
