/*
 * The small model of SQL statements the migration linter reasons about. A parser adapter
 * translates its own syntax tree into this; the core never sees the vendor's tree, so a new
 * PostgreSQL grammar (or another parser) changes one adapter, not every rule.
 * Identifiers are as PostgreSQL folds them: unquoted names lower-cased, quoted ones kept.
 */

/** `schema.name`, with the schema absent when the SQL did not write one. */
export interface QualifiedName {
  readonly schema?: string;
  readonly name: string;
}

/** A column type as written: `varchar(20)` is `{ name: 'varchar', modifiers: [20] }`. */
export interface TypeSpec {
  /** Last part of the type name, e.g. `varchar`, `int8`, `text`, `serial`, `timestamptz`. */
  readonly name: string;
  readonly schema?: string;
  /** Numeric type modifiers; undefined when none were written or they are not plain numbers. */
  readonly modifiers?: readonly number[];
  readonly array: boolean;
}

/** What the linter needs to know of an expression: the functions it calls. */
export interface ExpressionSpec {
  /** Called functions, lower-cased last name part (`public.f()` is `f`). */
  readonly calls: readonly string[];
  /** The expression is the literal NULL. */
  readonly isNull: boolean;
}

export type ConstraintKind =
  'check' | 'foreign-key' | 'unique' | 'primary-key' | 'exclusion' | 'not-null' | 'other';

export interface ConstraintSpec {
  readonly kind: ConstraintKind;
  readonly name?: string;
  /** Added `NOT VALID`: existing rows are not checked now. */
  readonly notValid: boolean;
  /** `UNIQUE USING INDEX i` / `PRIMARY KEY USING INDEX i`: adopts an index built earlier. */
  readonly usingIndex?: string;
  readonly references?: QualifiedName;
  /** For `CHECK (col IS NOT NULL)` and `NOT NULL col` constraints: the column proven not null. */
  readonly notNullColumn?: string;
}

export interface ColumnSpec {
  readonly name: string;
  readonly type: TypeSpec;
  readonly notNull: boolean;
  readonly default?: ExpressionSpec;
  /** `GENERATED … AS IDENTITY`. */
  readonly identity: boolean;
  /** `GENERATED ALWAYS AS (…) STORED` (virtual generated columns store nothing). */
  readonly generatedStored: boolean;
  /** Inline constraints other than NOT NULL / DEFAULT: REFERENCES, UNIQUE, CHECK … */
  readonly constraints: readonly ConstraintSpec[];
}

export type AlterTableCommand =
  | { readonly kind: 'add-column'; readonly column: ColumnSpec; readonly ifNotExists: boolean }
  | {
      readonly kind: 'drop-column';
      readonly column: string;
      readonly ifExists: boolean;
      readonly cascade: boolean;
    }
  | {
      readonly kind: 'alter-column-type';
      readonly column: string;
      readonly type: TypeSpec;
      readonly using: boolean;
    }
  | { readonly kind: 'set-not-null'; readonly column: string }
  | { readonly kind: 'drop-not-null'; readonly column: string }
  | { readonly kind: 'set-default'; readonly column: string; readonly default?: ExpressionSpec }
  | { readonly kind: 'add-constraint'; readonly constraint: ConstraintSpec }
  | { readonly kind: 'validate-constraint'; readonly name: string }
  | { readonly kind: 'drop-constraint'; readonly name: string; readonly ifExists: boolean }
  | { readonly kind: 'detach-partition'; readonly concurrently: boolean }
  /** Anything else (SET STATISTICS, OWNER TO …), by PostgreSQL's subcommand name. */
  | { readonly kind: 'other'; readonly subtype: string };

/** Object kinds a DROP or RENAME can name. */
export type ObjectKind =
  | 'table'
  | 'column'
  | 'index'
  | 'schema'
  | 'view'
  | 'materialized-view'
  | 'sequence'
  | 'function'
  | 'type'
  | 'extension'
  | 'trigger'
  | 'constraint'
  | 'database'
  | 'other';

export type TransactionAction = 'begin' | 'commit' | 'rollback' | 'savepoint' | 'prepare' | 'other';

export type StatementAction =
  | {
      readonly kind: 'create-table';
      readonly table: QualifiedName;
      readonly ifNotExists: boolean;
      readonly temporary: boolean;
      /** `CREATE TABLE … AS` / `SELECT … INTO`: columns come from a query. */
      readonly asQuery: boolean;
      readonly columns: readonly ColumnSpec[];
      readonly constraints: readonly ConstraintSpec[];
    }
  | {
      readonly kind: 'alter-table';
      readonly table: QualifiedName;
      readonly ifExists: boolean;
      readonly commands: readonly AlterTableCommand[];
    }
  | {
      readonly kind: 'create-index';
      readonly name?: string;
      readonly table: QualifiedName;
      readonly unique: boolean;
      readonly concurrently: boolean;
      readonly ifNotExists: boolean;
    }
  | {
      readonly kind: 'drop';
      readonly object: ObjectKind;
      readonly names: readonly QualifiedName[];
      readonly ifExists: boolean;
      readonly concurrently: boolean;
      readonly cascade: boolean;
    }
  | { readonly kind: 'truncate'; readonly tables: readonly QualifiedName[] }
  | {
      readonly kind: 'rename';
      readonly object: ObjectKind;
      /** The table for column/constraint renames; the renamed object itself otherwise. */
      readonly target: QualifiedName;
      /** The old name for column/constraint renames; the target's name otherwise. */
      readonly from: string;
      readonly to: string;
    }
  | {
      /** CREATE SCHEMA / SEQUENCE / EXTENSION / VIEW / FUNCTION / TRIGGER / TYPE … */
      readonly kind: 'create-object';
      readonly object: ObjectKind;
      readonly name: QualifiedName;
      /** IF NOT EXISTS or OR REPLACE was written. */
      readonly guarded: boolean;
      /** PostgreSQL offers IF NOT EXISTS or OR REPLACE for this statement. */
      readonly guardable: boolean;
      /** The table a trigger is created on. */
      readonly table?: QualifiedName;
    }
  | { readonly kind: 'reindex'; readonly concurrently: boolean; readonly target: string }
  | { readonly kind: 'transaction'; readonly action: TransactionAction }
  | {
      readonly kind: 'set';
      readonly name: string;
      /** The value as text; undefined for `SET x TO DEFAULT` and `RESET x`. */
      readonly value?: string;
      readonly local: boolean;
    }
  /** Statements that refuse to run inside a transaction block (VACUUM, CREATE DATABASE …). */
  | { readonly kind: 'no-transaction-command'; readonly command: string }
  /** Everything else, by the parser's statement type name (`InsertStmt`, `DoStmt` …). */
  | { readonly kind: 'other'; readonly statementType: string };

/** One statement of a migration file, where it starts and what it does. */
export interface SqlStatement {
  /** 1-based line and column of the statement's first token. */
  readonly line: number;
  readonly column: number;
  /** Where the statement starts, in the parser's own unit: only for ordering against comments. */
  readonly offset: number;
  readonly action: StatementAction;
}

/** A comment in the file (`--` or `/* *\/`), with its text between the delimiters. */
export interface SqlComment {
  readonly line: number;
  readonly column: number;
  /** Where the comment ends, in the same unit as `SqlStatement.offset`. */
  readonly endOffset: number;
  /** `--` to the end of the line, or a `/* … *\/` block. */
  readonly style: 'line' | 'block';
  readonly text: string;
}
