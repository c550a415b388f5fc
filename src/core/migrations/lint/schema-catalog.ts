import { objectKey } from '../qualified-name.js';
import type {
  AlterTableCommand,
  QualifiedName,
  SqlStatement,
  StatementAction,
  TypeSpec,
} from '../sql-statement.js';

/** What the linter has learned of the schema from the migrations before the one it reads. */
export interface CatalogView {
  /** The column's type as earlier migrations left it; undefined when they never said. */
  columnType(table: QualifiedName, column: string): TypeSpec | undefined;
  /** A validated constraint (or SET NOT NULL) already proves the column holds no NULL. */
  provesNotNull(table: QualifiedName, column: string): boolean;
  /** The table an index was created on. */
  indexTable(index: QualifiedName): string | undefined;
}

type AlterTable = Extract<StatementAction, { kind: 'alter-table' }>;

/**
 * The schema as the migrations build it, statement by statement: enough to know a
 * column's previous type and whether NOT NULL was already proven. Only what the files say.
 */
export class SchemaCatalog implements CatalogView {
  private readonly tables = new Map<string, Map<string, TypeSpec>>();
  private readonly provenNotNull = new Set<string>();
  /** `CHECK (col IS NOT NULL) NOT VALID` constraints waiting for VALIDATE, by table/name. */
  private readonly pendingNotNull = new Map<string, string>();
  private readonly indexes = new Map<string, string>();

  clone(): SchemaCatalog {
    const copy = new SchemaCatalog();
    for (const [key, columns] of this.tables) copy.tables.set(key, new Map(columns));
    for (const key of this.provenNotNull) copy.provenNotNull.add(key);
    for (const [key, column] of this.pendingNotNull) copy.pendingNotNull.set(key, column);
    for (const [key, table] of this.indexes) copy.indexes.set(key, table);
    return copy;
  }

  columnType(table: QualifiedName, column: string): TypeSpec | undefined {
    return this.tables.get(objectKey(table))?.get(column);
  }

  provesNotNull(table: QualifiedName, column: string): boolean {
    return this.provenNotNull.has(`${objectKey(table)}.${column}`);
  }

  indexTable(index: QualifiedName): string | undefined {
    return this.indexes.get(objectKey(index));
  }

  apply(statement: SqlStatement): void {
    const action = statement.action;
    switch (action.kind) {
      case 'create-table': {
        const key = objectKey(action.table);
        this.tables.set(key, new Map(action.columns.map((c) => [c.name, c.type])));
        for (const column of action.columns)
          if (column.notNull) this.provenNotNull.add(`${key}.${column.name}`);
        break;
      }
      case 'alter-table':
        for (const command of action.commands) this.applyAlter(action, command);
        break;
      case 'create-index':
        if (action.name !== undefined)
          this.indexes.set(
            objectKey({ schema: action.table.schema, name: action.name }),
            objectKey(action.table),
          );
        break;
      case 'drop':
        for (const name of action.names) {
          if (action.object === 'table') this.tables.delete(objectKey(name));
          if (action.object === 'index') this.indexes.delete(objectKey(name));
        }
        break;
      case 'rename':
        this.applyRename(action);
        break;
      default:
        break;
    }
  }

  private applyAlter(action: AlterTable, command: AlterTableCommand): void {
    const key = objectKey(action.table);
    const columns = this.tables.get(key) ?? new Map<string, TypeSpec>();
    this.tables.set(key, columns);
    switch (command.kind) {
      case 'add-column':
        columns.set(command.column.name, command.column.type);
        if (command.column.notNull) this.provenNotNull.add(`${key}.${command.column.name}`);
        break;
      case 'drop-column':
        columns.delete(command.column);
        this.provenNotNull.delete(`${key}.${command.column}`);
        break;
      case 'alter-column-type':
        columns.set(command.column, command.type);
        break;
      case 'set-not-null':
        this.provenNotNull.add(`${key}.${command.column}`);
        break;
      case 'drop-not-null':
        this.provenNotNull.delete(`${key}.${command.column}`);
        break;
      case 'add-constraint': {
        const { notNullColumn, name, notValid } = command.constraint;
        if (notNullColumn === undefined) break;
        if (!notValid) this.provenNotNull.add(`${key}.${notNullColumn}`);
        else if (name !== undefined) this.pendingNotNull.set(`${key}/${name}`, notNullColumn);
        break;
      }
      case 'validate-constraint': {
        const column = this.pendingNotNull.get(`${key}/${command.name}`);
        if (column !== undefined) this.provenNotNull.add(`${key}.${column}`);
        this.pendingNotNull.delete(`${key}/${command.name}`);
        break;
      }
      case 'drop-constraint':
        this.pendingNotNull.delete(`${key}/${command.name}`);
        break;
      default:
        break;
    }
  }

  private applyRename(action: Extract<StatementAction, { kind: 'rename' }>): void {
    const key = objectKey(action.target);
    if (action.object === 'table') {
      const columns = this.tables.get(key);
      this.tables.delete(key);
      if (columns) this.tables.set(objectKey({ ...action.target, name: action.to }), columns);
    } else if (action.object === 'column') {
      const columns = this.tables.get(key);
      const type = columns?.get(action.from);
      if (columns && type) {
        columns.delete(action.from);
        columns.set(action.to, type);
      }
    }
  }
}
