import { formatName } from '../qualified-name.js';
import type { QualifiedName, SqlStatement } from '../sql-statement.js';
import type { StatementContext } from './lint-rule.js';

/** Subcommands whose lock lets reads and writes through (SHARE UPDATE EXCLUSIVE). */
const GENTLE = new Set(['validate-constraint', 'detach-partition']);

/**
 * The existing tables a statement locks against ordinary reads or writes. While such a
 * lock waits in the queue behind a long transaction, every later query on the table waits
 * behind it: the outage that lock_timeout bounds. Tables this file created do not count.
 */
export function blockedTables(statement: SqlStatement, context: StatementContext): string[] {
  const action = statement.action;
  const existing = (names: readonly (QualifiedName | undefined)[]): string[] =>
    names
      .filter((n): n is QualifiedName => n !== undefined && !context.isNewTable(n))
      .map(formatName);
  switch (action.kind) {
    case 'alter-table': {
      const gentle = action.commands.every(
        (c) => GENTLE.has(c.kind) && (c.kind !== 'detach-partition' || c.concurrently),
      );
      const referenced = action.commands.flatMap((c) =>
        c.kind === 'add-constraint'
          ? [c.constraint.references]
          : c.kind === 'add-column'
            ? c.column.constraints.map((k) => k.references)
            : [],
      );
      return existing([...(gentle ? [] : [action.table]), ...referenced]);
    }
    case 'create-index':
      return action.concurrently ? [] : existing([action.table]);
    case 'create-table':
      return existing([
        ...action.constraints.map((c) => c.references),
        ...action.columns.flatMap((c) => c.constraints.map((k) => k.references)),
      ]);
    case 'drop':
      if (action.object === 'table') return existing(action.names);
      if (action.object === 'index' && !action.concurrently)
        return action.names.filter((n) => !isIndexOfNewTable(context, n)).map(formatName);
      return [];
    case 'truncate':
      return existing(action.tables);
    case 'rename':
      return action.object === 'schema' ? [] : existing([action.target]);
    case 'create-object':
      return action.object === 'trigger' ? existing([action.table]) : [];
    case 'reindex':
      return action.concurrently ? [] : [action.target];
    default:
      return [];
  }
}

/** Dropping an index of a table this file created blocks nobody. */
export function isIndexOfNewTable(context: StatementContext, index: QualifiedName): boolean {
  const table = context.catalog.indexTable(index);
  if (table === undefined) return false;
  const dot = table.indexOf('.');
  return context.isNewTable({ schema: table.slice(0, dot), name: table.slice(dot + 1) });
}
