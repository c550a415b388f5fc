import { valid } from 'semver';
import { invalidInput } from '../../errors/eclusa-error.js';
import { compareMigrationFiles, migrationFileName } from '../migration-file.js';
import type { ParsedSql, SqlParser, SqlSyntaxError } from '../sql-parser.js';
import type { SqlStatement } from '../sql-statement.js';
import { ContractIndex, createdObjects } from './contract-index.js';
import { readDirectives } from './file-directives.js';
import { FileWalk } from './file-walk.js';
import type { LintFinding, LintReport, SuppressedFinding } from './lint-finding.js';
import type { LintRule, RuleHit } from './lint-rule.js';
import { LINT_RULES } from './rule-registry.js';
import { parseError } from './rules/parse-error.js';
import { unusedSuppression } from './rules/unused-suppression.js';
import { SchemaCatalog } from './schema-catalog.js';

/** One migration file to lint. */
export interface MigrationSource {
  /** The path shown in findings: the folder as the user gave it, joined with the name. */
  readonly path: string;
  /** The file name, which says its role (up, down, plain) and its place in the order. */
  readonly name: string;
  readonly text: string;
}

export interface LintOptions {
  /** The release these migrations ship in: expand/contract drops are judged against it. */
  readonly release?: string;
}

interface Shared {
  readonly catalog: SchemaCatalog;
  readonly contracts: ContractIndex;
  readonly ups: Map<string, readonly SqlStatement[]>;
  readonly release: string | undefined;
}

interface Raw {
  readonly rule: LintRule;
  readonly hit: RuleHit;
  readonly statement?: number;
  readonly line: number;
  readonly column: number;
}

/**
 * Lints a folder's migrations in the order they run, each statement against every rule,
 * knowing what the earlier files created and deprecated. Pure apart from the parser.
 */
export function lintMigrations(
  sources: readonly MigrationSource[],
  parser: SqlParser,
  options: LintOptions = {},
): LintReport {
  if (options.release !== undefined && valid(options.release) === null)
    throw invalidInput('INVALID_RELEASE', `release "${options.release}" is not a SemVer version`, {
      hint: 'pass the version being released, e.g. --release 1.5.0',
    });
  const files = sources
    .map((source) => ({ source, name: migrationFileName(source.name) }))
    .sort((a, b) => compareMigrationFiles(a.name, b.name));
  const shared: Shared = {
    catalog: new SchemaCatalog(),
    contracts: new ContractIndex(),
    ups: new Map(),
    release: options.release === undefined ? undefined : (valid(options.release) ?? undefined),
  };
  const findings: LintFinding[] = [];
  const suppressed: SuppressedFinding[] = [];
  let statements = 0;
  for (const { source, name } of files) {
    const parsed = parser.parse(source.text);
    if (!parsed.ok) {
      findings.push(parseFinding(source.path, parsed));
      continue;
    }
    statements += parsed.statements.length;
    if (name.role === 'up') shared.ups.set(name.stem, parsed.statements);
    const result = lintFile(source.path, name.role, name.stem, parsed, shared);
    findings.push(...result.findings);
    suppressed.push(...result.suppressed);
  }
  return {
    findings,
    suppressed,
    files: files.length,
    statements,
    ok: findings.every((finding) => finding.severity !== 'error'),
  };
}

function parseFinding(file: string, error: SqlSyntaxError): LintFinding {
  return {
    file,
    line: error.line,
    column: error.column,
    rule: parseError.id,
    severity: parseError.severity,
    message: `PostgreSQL cannot parse this file: ${error.message}`,
    fix: 'fix the SQL at this line',
  };
}

function toFinding(file: string, raw: Raw): LintFinding {
  return {
    file,
    line: raw.hit.line ?? raw.line,
    column: raw.hit.column ?? raw.column,
    rule: raw.rule.id,
    severity: raw.rule.severity,
    message: raw.hit.message,
    fix: raw.hit.fix ?? raw.rule.fix.replace(/\.$/, ''),
  };
}

function lintFile(
  file: string,
  role: 'up' | 'down' | 'plain',
  stem: string,
  parsed: ParsedSql,
  shared: Shared,
): { findings: LintFinding[]; suppressed: SuppressedFinding[] } {
  const directives = readDirectives(parsed, role);
  const walk = new FileWalk({
    file,
    role,
    wrapped: directives.wrapped,
    catalog: role === 'down' ? shared.catalog.clone() : shared.catalog,
    contracts: shared.contracts,
    release: shared.release,
    pairedUpCreated: role === 'down' ? createdObjects(shared.ups.get(stem) ?? []) : new Set(),
  });
  const raws: Raw[] = [...directives.problems];
  parsed.statements.forEach((statement, index) => {
    const context = walk.context(parsed.statements, index);
    for (const rule of LINT_RULES)
      for (const hit of rule.statement?.(statement, context) ?? [])
        raws.push({ rule, hit, statement: index, line: statement.line, column: statement.column });
    walk.apply(statement);
  });
  const end = walk.endContext();
  for (const rule of LINT_RULES)
    for (const hit of rule.fileEnd?.(end) ?? []) raws.push({ rule, hit, line: 1, column: 1 });

  const findings: LintFinding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const used = new Set<number>();
  for (const raw of raws) {
    const allowIndex = directives.allows.findIndex(
      (allow) => allow.statement === raw.statement && allow.rules.includes(raw.rule.id),
    );
    const allow = directives.allows[allowIndex];
    if (allow === undefined || raw.statement === undefined) {
      findings.push(toFinding(file, raw));
      continue;
    }
    used.add(allowIndex);
    suppressed.push({ ...toFinding(file, raw), reason: allow.reason, suppressedAt: allow.line });
  }
  directives.allows.forEach((allow, index) => {
    if (!used.has(index))
      findings.push(
        toFinding(file, {
          rule: unusedSuppression,
          hit: {
            message: `eclusa:allow ${allow.rules.join(', ')} suppresses nothing: the next statement (line ${allow.statementLine}) has no such finding`,
          },
          line: allow.line,
          column: allow.column,
        }),
      );
  });
  for (const deprecation of directives.deprecations)
    shared.contracts.deprecate(deprecation.object, deprecation.parts, {
      file,
      line: deprecation.comment.line,
      since: deprecation.since,
    });
  const order = new Map(LINT_RULES.map((rule, index) => [rule.id, index]));
  findings.sort(
    (a, b) =>
      a.line - b.line || a.column - b.column || (order.get(a.rule) ?? 0) - (order.get(b.rule) ?? 0),
  );
  return { findings, suppressed };
}
