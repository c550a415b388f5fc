import { loadModule, parseSync } from 'libpg-query';
import { invalidInput } from '../errors/eclusa-error.js';

/** A migration file's SQL checked by the real PostgreSQL parser and split into statements. */
export interface ParsedSql {
  readonly statements: readonly string[];
  /** Kinds of the statements in order, e.g. `CreateStmt`, `TransactionStmt`. */
  readonly kinds: readonly string[];
}

let loaded: Promise<void> | undefined;

/**
 * libpg-query is WebAssembly, compiled once on first use. (A static import: the CLI bundle
 * runs in a vm.Script, where a dynamic import() of a package has no loader; the commands
 * that parse SQL are loaded lazily anyway.)
 */
function loadParser(): Promise<void> {
  loaded ??= loadModule();
  return loaded;
}

/** Line and column (1-based) of a 0-based character offset (libpg-query's error cursor). */
function position(text: string, offset: number): { line: number; column: number } {
  const lines = [...text].slice(0, Math.max(0, offset)).join('').split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/**
 * Parses `sql` with libpg-query (PostgreSQL's own grammar). A syntax error names the file,
 * line and column the parser reports; nothing is ever skipped.
 */
export async function parseSql(sql: string, file: string): Promise<ParsedSql> {
  await loadParser();
  let result: ReturnType<typeof parseSync>;
  try {
    result = parseSync(sql);
  } catch (error) {
    const details = (error as { sqlDetails?: { message: string; cursorPosition: number } })
      .sqlDetails;
    const at = details ? position(sql, details.cursorPosition) : undefined;
    throw invalidInput(
      'MIGRATION_SYNTAX',
      `${file}${at ? `:${at.line}:${at.column}` : ''}: ${details?.message ?? (error as Error).message}`,
      {
        hint: 'fix the SQL; nothing ran',
        details: { file, ...(at ?? {}) },
        cause: error,
      },
    );
  }
  // Statement locations, unlike the error cursor, count bytes.
  const bytes = Buffer.from(sql, 'utf8');
  const statements: string[] = [];
  const kinds: string[] = [];
  for (const entry of result.stmts ?? []) {
    const start = entry.stmt_location ?? 0;
    const end = entry.stmt_len ? start + entry.stmt_len : bytes.length;
    const text = bytes.subarray(start, end).toString('utf8').trim();
    if (text === '') continue;
    statements.push(text);
    kinds.push(Object.keys(entry.stmt ?? {})[0] ?? 'Unknown');
  }
  return { statements, kinds };
}
