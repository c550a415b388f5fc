import {
  loadModule,
  parseSync,
  scanSync,
  SqlError,
  type RawStmt,
  type ScanToken,
} from 'libpg-query';
import type { ParsedSql, SqlParser, SqlSyntaxError } from '../../../core/migrations/sql-parser.js';
import type { SqlComment, SqlStatement } from '../../../core/migrations/sql-statement.js';
import { TextPositions } from './libpg-query-positions.js';
import { statementAction } from './libpg-query-statement.js';

const COMMENTS = new Set(['SQL_COMMENT', 'C_COMMENT']);

function commentText(token: ScanToken): string {
  return token.tokenName === 'SQL_COMMENT'
    ? token.text.replace(/^--/, '')
    : token.text.replace(/^\/\*/, '').replace(/\*\/$/, '');
}

function syntaxError(error: SqlError, positions: TextPositions): SqlSyntaxError {
  const at = positions.atCharacter(error.sqlDetails?.cursorPosition ?? 0);
  return { ok: false, message: error.message, ...at };
}

function parseText(text: string): ParsedSql | SqlSyntaxError {
  const positions = new TextPositions(text);
  // libpg-query refuses the empty string; PostgreSQL reads it as no statement at all.
  if (text === '') return { ok: true, statements: [], comments: [] };
  let stmts: RawStmt[];
  try {
    stmts = parseSync(text).stmts ?? [];
  } catch (error) {
    if (error instanceof SqlError) return syntaxError(error, positions);
    throw error;
  }
  // The scanner keeps comments, which the parse tree drops: directives live in them.
  const tokens = scanSync(text).tokens;
  const comments: SqlComment[] = [];
  const code: ScanToken[] = [];
  for (const token of tokens) {
    if (!COMMENTS.has(token.tokenName)) code.push(token);
    else
      comments.push({
        ...positions.atByte(token.start),
        endOffset: token.end,
        style: token.tokenName === 'SQL_COMMENT' ? 'line' : 'block',
        text: commentText(token),
      });
  }
  let next = 0;
  const statements = stmts.map((raw): SqlStatement => {
    // stmt_location may point at whitespace or comments before the first keyword.
    const location = raw.stmt_location ?? 0;
    while (next < code.length && (code[next]?.start ?? 0) < location) next++;
    const start = code[next]?.start ?? location;
    return { ...positions.atByte(start), offset: start, action: statementAction(raw.stmt) };
  });
  return { ok: true, statements, comments };
}

/** The SqlParser port over libpg-query: PostgreSQL's own grammar, compiled to WebAssembly. */
export async function createLibpgQueryParser(): Promise<SqlParser> {
  await loadModule();
  return { parse: parseText };
}
