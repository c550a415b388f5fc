import type { MigrationRole } from '../migration-file.js';
import type { ParsedSql } from '../sql-parser.js';
import { parseDirective, type Directive } from './directives.js';
import type { LintRule, RuleHit } from './lint-rule.js';
import { LINT_RULE_IDS } from './rule-registry.js';
import { invalidDirective } from './rules/invalid-directive.js';
import { suppressionWithoutReason } from './rules/suppression-without-reason.js';

/** An `eclusa:allow` with a reason, tied to the statement it covers. */
export interface Allow {
  readonly rules: readonly string[];
  readonly reason: string;
  readonly line: number;
  readonly column: number;
  /** Index of the next statement after the comment. */
  readonly statement: number;
  readonly statementLine: number;
}

export interface DirectiveProblem {
  readonly rule: LintRule;
  readonly hit: RuleHit;
  readonly line: number;
  readonly column: number;
}

export interface FileDirectives {
  /** The runner wraps the file in a transaction: it does not declare eclusa:no-transaction. */
  readonly wrapped: boolean;
  readonly allows: readonly Allow[];
  readonly deprecations: readonly Extract<Directive, { kind: 'deprecate' }>[];
  readonly problems: readonly DirectiveProblem[];
}

/** Reads a file's `-- eclusa:` comments and reports the ones that cannot work. */
export function readDirectives(parsed: ParsedSql, role: MigrationRole): FileDirectives {
  const firstStatement = parsed.statements[0]?.offset ?? Number.POSITIVE_INFINITY;
  let wrapped = true;
  const allows: Allow[] = [];
  const deprecations: Extract<Directive, { kind: 'deprecate' }>[] = [];
  const problems: DirectiveProblem[] = [];
  const problem = (rule: LintRule, directive: Directive, message: string, fix?: string) =>
    problems.push({
      rule,
      hit: { message, ...(fix === undefined ? {} : { fix }) },
      line: directive.comment.line,
      column: directive.comment.column,
    });

  for (const comment of parsed.comments) {
    const directive = parseDirective(comment, LINT_RULE_IDS);
    if (directive === undefined) continue;
    switch (directive.kind) {
      case 'invalid':
        problem(invalidDirective, directive, directive.message, directive.fix);
        break;
      case 'no-transaction':
        // The runner looks at the file's first line only: anywhere else it is not seen.
        if (
          comment === parsed.comments[0] &&
          comment.style === 'line' &&
          comment.endOffset <= firstStatement
        )
          wrapped = false;
        else
          problem(
            invalidDirective,
            directive,
            '-- eclusa:no-transaction counts only as the very first line of the file, so the runner still wraps this file in a transaction',
            'make -- eclusa:no-transaction the first line of the file',
          );
        break;
      case 'allow': {
        const statement = parsed.statements.findIndex((s) => s.offset >= comment.endOffset);
        const target = parsed.statements[statement];
        if (directive.reason === '')
          problem(
            suppressionWithoutReason,
            directive,
            `eclusa:allow ${directive.rules.join(', ')} gives no reason, so it suppresses nothing`,
            `-- eclusa:allow ${directive.rules.join(', ')} reason: why this statement is safe here`,
          );
        else if (target === undefined)
          problem(
            invalidDirective,
            directive,
            'eclusa:allow is not followed by any statement',
            'put it right above the statement it is for',
          );
        else
          allows.push({
            rules: directive.rules,
            reason: directive.reason,
            line: comment.line,
            column: comment.column,
            statement,
            statementLine: target.line,
          });
        break;
      }
      case 'deprecate':
        if (role === 'down')
          problem(
            invalidDirective,
            directive,
            'eclusa:deprecate in a down migration never counts: a rollback does not ship a release',
            'put the deprecation in an up migration',
          );
        else deprecations.push(directive);
        break;
    }
  }
  return { wrapped, allows, deprecations, problems };
}
