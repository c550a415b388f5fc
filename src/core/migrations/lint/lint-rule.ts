import type { MigrationRole } from '../migration-file.js';
import type { QualifiedName, SqlStatement } from '../sql-statement.js';
import type { DeprecatedKind } from './directives.js';
import type { LintSeverity } from './lint-finding.js';
import type { CatalogView } from './schema-catalog.js';

/** A deprecation an earlier migration declared with `-- eclusa:deprecate`. */
export interface Deprecation {
  readonly file: string;
  readonly line: number;
  readonly since: string;
}

/** Whether a drop may go ahead under expand/contract, and if not, why. */
export type ContractVerdict = { readonly allowed: true } | { readonly allowed: false; why: string };

/** Everything a rule may know about where a statement runs. Read-only. */
export interface StatementContext {
  readonly file: string;
  readonly role: MigrationRole;
  /** The runner wraps the file in a transaction (it does not declare eclusa:no-transaction). */
  readonly wrapped: boolean;
  /** Line of the explicit BEGIN still open before this statement, if any. */
  readonly openBeginLine: number | undefined;
  /** A non-zero lock_timeout / statement_timeout is in effect for this statement. */
  readonly lockTimeout: boolean;
  readonly statementTimeout: boolean;
  /** Lines of `SET LOCAL` timeouts that did nothing: they ran outside any transaction. */
  readonly ineffectiveLocalSets: readonly number[];
  readonly catalog: CatalogView;
  /** The release being linted for (`--release`, or the release a gate judges). */
  readonly release: string | undefined;
  /** Created earlier in this same file: nobody else can be using it yet. */
  isNewTable(table: QualifiedName): boolean;
  /** A constraint this transaction added NOT VALID: validating it now keeps that lock. */
  addedNotValidInTransaction(table: QualifiedName, constraint: string): boolean;
  /** In a down file: the paired up file created this object, so dropping it is the undo. */
  createdByPairedUp(kind: DeprecatedKind, parts: readonly string[]): boolean;
  /** Expand/contract: whether dropping this object was announced a release ago. */
  contract(kind: DeprecatedKind, parts: readonly string[]): ContractVerdict;
  /** The statements after this one in the same file, up to the end of its transaction. */
  sameTransactionAfter(): readonly SqlStatement[];
}

/** What a finished file leaves behind, for rules that judge a whole file. */
export interface FileEndContext {
  readonly file: string;
  readonly wrapped: boolean;
  readonly openBeginLine: number | undefined;
}

/** One problem a rule saw; line and column default to the statement's. */
export interface RuleHit {
  readonly message: string;
  /** The safe rewrite for this case; the rule's general fix when absent. */
  readonly fix?: string;
  readonly line?: number;
  readonly column?: number;
}

/** SQL for a rule's documentation and tests: one statement list, or files by name. */
export type RuleExample = string | Readonly<Record<string, string>>;

/** A lint rule: a stable id, a severity, its documentation and pure checks. */
export interface LintRule {
  readonly id: string;
  readonly severity: LintSeverity;
  /** One line: what the rule looks for. */
  readonly summary: string;
  /** Why it is dangerous. */
  readonly why: string;
  /** The safe rewrite, in general. */
  readonly fix: string;
  /**
   * `bad` makes the rule fire; `good` is the safe rewrite it stays silent on (and so does
   * every other rule). Linted as release `release`, when given.
   */
  readonly examples: {
    readonly bad: RuleExample;
    readonly good: RuleExample;
    readonly release?: string;
  };
  readonly statement?: (statement: SqlStatement, context: StatementContext) => readonly RuleHit[];
  readonly fileEnd?: (context: FileEndContext) => readonly RuleHit[];
}
