import type { SqlComment, SqlStatement } from './sql-statement.js';

/** A file the parser read: its statements and comments in file order. */
export interface ParsedSql {
  readonly ok: true;
  readonly statements: readonly SqlStatement[];
  readonly comments: readonly SqlComment[];
}

/** SQL the grammar rejects, with PostgreSQL's own message and where it stopped. */
export interface SqlSyntaxError {
  readonly ok: false;
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

/**
 * The port the migration linter reads SQL through: PostgreSQL's grammar, not patterns.
 * Parsing is synchronous; an adapter that needs to load something does so in its factory.
 */
export interface SqlParser {
  parse(text: string): ParsedSql | SqlSyntaxError;
}
