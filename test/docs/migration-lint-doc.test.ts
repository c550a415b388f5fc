import { readFileSync } from 'node:fs';
import { format } from 'prettier';
import { describe, expect, it } from 'vitest';
import { LINT_RULES } from '../../src/core/migrations/lint/rule-registry.js';
import { withRulesSection } from '../../scripts/migration-lint-rules-doc.js';

const document = readFileSync(new URL('../../docs/migration-lint.md', import.meta.url), 'utf8');

describe('docs/migration-lint.md', () => {
  it('shows every rule as the registry defines it (npx tsx scripts/write-migration-lint-docs.ts)', async () => {
    const fresh = await format(withRulesSection(document), { parser: 'markdown' });
    expect(await format(document, { parser: 'markdown' })).toBe(fresh);
  });

  it('has a section, a why and a safe rewrite for every rule id', () => {
    for (const rule of LINT_RULES) {
      const section = document.split(`### \`${rule.id}\``)[1]?.split('\n### ')[0] ?? '';
      expect(section, rule.id).toContain(`**${rule.severity}**`);
      expect(section, rule.id).toContain('**Why it is dangerous.**');
      expect(section, rule.id).toContain('**Safe rewrite.**');
      expect(section, rule.id).toContain('```sql');
    }
  });

  it('documents the conventions the linter and the runner share', () => {
    for (const text of [
      '-- eclusa:no-transaction',
      '-- eclusa:allow RULE[, RULE…] reason: TEXT',
      '-- eclusa:deprecate [table|column|schema] NAME since VERSION',
      '--release',
      'migrationLint: true',
      '--format sarif',
    ])
      expect(document).toContain(text);
  });
});
