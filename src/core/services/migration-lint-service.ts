import { dirname, resolve } from 'node:path';
import { valid } from 'semver';
import { EclusaError } from '../errors/eclusa-error.js';
import type { MigrationLintOutcome } from '../governance/migration-lint-gate.js';
import type {
  LintFinding,
  LintReport,
  SuppressedFinding,
} from '../migrations/lint/lint-finding.js';
import { lintMigrations } from '../migrations/lint/lint-migrations.js';
import { readMigrationDir } from '../migrations/read-migration-dir.js';
import type { SqlParser } from '../migrations/sql-parser.js';
import type { CompiledPolicy } from '../policy/compiled-policy.js';

/** The built-in runner's migration folders, as the policy writes them (relative to its file). */
export function sqlMigrationDirs(policy: CompiledPolicy): string[] {
  return Object.values(policy.components).flatMap((component) =>
    component.kind === 'database' &&
    component.migrations?.tool === 'sql' &&
    component.migrations.dir !== undefined &&
    component.migrations.lint !== false
      ? [component.migrations.dir]
      : [],
  );
}

/**
 * Lints every `sql` migration folder of the policy for `release`; what the migration-lint
 * gate judges. Never throws for a missing folder or parser: the gate fails and says why.
 */
export async function lintPolicyMigrations(
  policy: CompiledPolicy,
  loadParser: (() => Promise<SqlParser>) | undefined,
  release: string,
): Promise<MigrationLintOutcome> {
  const dirs = sqlMigrationDirs(policy);
  if (dirs.length === 0)
    return {
      kind: 'unavailable',
      reason:
        'no database component has migrations with tool: sql and a dir, so there is nothing to lint (the linter reads SQL files, not a migration command)',
    };
  if (loadParser === undefined)
    return { kind: 'unavailable', reason: 'no SQL parser is available in this process' };
  try {
    const parser = await loadParser();
    const base = dirname(policy.file);
    const findings: LintFinding[] = [];
    const suppressed: SuppressedFinding[] = [];
    let files = 0;
    let statements = 0;
    for (const dir of dirs) {
      const sources = await readMigrationDir(resolve(base, dir), dir);
      const report = lintMigrations(sources, parser, {
        ...(valid(release) === null ? {} : { release }),
      });
      findings.push(...report.findings);
      suppressed.push(...report.suppressed);
      files += report.files;
      statements += report.statements;
    }
    const report: LintReport = {
      findings,
      suppressed,
      files,
      statements,
      ok: findings.every((finding) => finding.severity !== 'error'),
    };
    return { kind: 'linted', dirs, report };
  } catch (error) {
    if (error instanceof EclusaError) return { kind: 'unavailable', reason: error.message };
    throw error;
  }
}
