import { createLibpgQueryParser } from '../../src/adapters/sql/libpg-query/libpg-query-parser.js';
import type { LintReport } from '../../src/core/migrations/lint/lint-finding.js';
import type { RuleExample } from '../../src/core/migrations/lint/lint-rule.js';
import {
  lintMigrations,
  type MigrationSource,
} from '../../src/core/migrations/lint/lint-migrations.js';

const parser = await createLibpgQueryParser();

/** One SQL text is `001_example.up.sql`; an object names its files. */
export function sources(files: RuleExample): MigrationSource[] {
  const named = typeof files === 'string' ? { '001_example.up.sql': files } : files;
  return Object.entries(named).map(([name, text]) => ({ name, path: name, text }));
}

/** Lints SQL through the real PostgreSQL grammar. */
export function lintSql(files: RuleExample, release?: string): LintReport {
  return lintMigrations(sources(files), parser, release === undefined ? {} : { release });
}

/** `rule@file:line` for each finding (file left out when there is only one). */
export function findingKeys(report: LintReport, withFile = false): string[] {
  return report.findings.map((f) => `${f.rule}@${withFile ? `${f.file}:` : ''}${f.line}`);
}
