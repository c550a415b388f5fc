import type { CreateStmt, CreateTableAsStmt, DropStmt, Node, RenameStmt } from 'libpg-query';
import type {
  ObjectKind,
  StatementAction,
  TransactionAction,
} from '../../../core/migrations/sql-statement.js';
import { alterTableCommand } from './libpg-query-alter-table.js';
import { columnSpec, constraintSpec } from './libpg-query-columns.js';
import {
  constantText,
  names,
  nodeAs,
  nodeType,
  qualified,
  rangeVarName,
} from './libpg-query-nodes.js';

const OBJECTS: Partial<Record<string, ObjectKind>> = {
  OBJECT_TABLE: 'table',
  OBJECT_COLUMN: 'column',
  OBJECT_INDEX: 'index',
  OBJECT_SCHEMA: 'schema',
  OBJECT_VIEW: 'view',
  OBJECT_MATVIEW: 'materialized-view',
  OBJECT_SEQUENCE: 'sequence',
  OBJECT_FUNCTION: 'function',
  OBJECT_PROCEDURE: 'function',
  OBJECT_TYPE: 'type',
  OBJECT_DOMAIN: 'type',
  OBJECT_EXTENSION: 'extension',
  OBJECT_TRIGGER: 'trigger',
  OBJECT_TABCONSTRAINT: 'constraint',
  OBJECT_DATABASE: 'database',
};

const objectKind = (type: string | undefined): ObjectKind => OBJECTS[type ?? ''] ?? 'other';

const TRANSACTIONS: Partial<Record<string, TransactionAction>> = {
  TRANS_STMT_BEGIN: 'begin',
  TRANS_STMT_START: 'begin',
  TRANS_STMT_COMMIT: 'commit',
  TRANS_STMT_ROLLBACK: 'rollback',
  TRANS_STMT_SAVEPOINT: 'savepoint',
  TRANS_STMT_RELEASE: 'savepoint',
  TRANS_STMT_ROLLBACK_TO: 'savepoint',
  TRANS_STMT_PREPARE: 'prepare',
  TRANS_STMT_COMMIT_PREPARED: 'prepare',
  TRANS_STMT_ROLLBACK_PREPARED: 'prepare',
};

/** Statements PostgreSQL refuses inside a transaction block, besides CONCURRENTLY. */
const OUTSIDE_TRANSACTION: Partial<Record<string, string>> = {
  CreatedbStmt: 'CREATE DATABASE',
  DropdbStmt: 'DROP DATABASE',
  AlterSystemStmt: 'ALTER SYSTEM',
  CreateTableSpaceStmt: 'CREATE TABLESPACE',
  DropTableSpaceStmt: 'DROP TABLESPACE',
};

function createTable(create: CreateStmt): StatementAction {
  return {
    kind: 'create-table',
    table: rangeVarName(create.relation),
    ifNotExists: create.if_not_exists === true,
    temporary: create.relation?.relpersistence === 't',
    asQuery: false,
    columns: (create.tableElts ?? []).flatMap((element) => {
      const column = nodeAs(element, 'ColumnDef');
      return column === undefined ? [] : [columnSpec(column)];
    }),
    constraints: (create.tableElts ?? []).flatMap((element) => {
      const constraint = nodeAs(element, 'Constraint');
      return constraint === undefined ? [] : [constraintSpec(constraint)];
    }),
  };
}

function createTableAs(create: CreateTableAsStmt): StatementAction {
  const name = rangeVarName(create.into?.rel);
  if (create.objtype === 'OBJECT_MATVIEW')
    return {
      kind: 'create-object',
      object: 'materialized-view',
      name,
      guarded: create.if_not_exists === true,
      guardable: true,
    };
  return {
    kind: 'create-table',
    table: name,
    ifNotExists: create.if_not_exists === true,
    temporary: create.into?.rel?.relpersistence === 't',
    asQuery: true,
    columns: [],
    constraints: [],
  };
}

function dropped(node: Node): string[] {
  const list = nodeAs(node, 'List');
  if (list !== undefined) return names(list.items);
  const withArgs = nodeAs(node, 'ObjectWithArgs');
  if (withArgs !== undefined) return names(withArgs.objname);
  const type = nodeAs(node, 'TypeName');
  if (type !== undefined) return names(type.names);
  const single = nodeAs(node, 'String')?.sval;
  return single === undefined ? [] : [single];
}

function drop(statement: DropStmt): StatementAction {
  return {
    kind: 'drop',
    object: objectKind(statement.removeType),
    names: (statement.objects ?? []).map((node) => qualified(dropped(node))),
    ifExists: statement.missing_ok === true,
    concurrently: statement.concurrent === true,
    cascade: statement.behavior === 'DROP_CASCADE',
  };
}

function rename(statement: RenameStmt): StatementAction {
  const object = objectKind(statement.renameType);
  const to = statement.newname ?? '';
  if (statement.relation === undefined) {
    const from = statement.subname ?? dropped(statement.object ?? { List: {} }).at(-1) ?? '';
    return { kind: 'rename', object, target: { name: from }, from, to };
  }
  const target = rangeVarName(statement.relation);
  const from =
    object === 'column' || object === 'constraint' ? (statement.subname ?? '') : target.name;
  return { kind: 'rename', object, target, from, to };
}

/** One parsed statement in the linter's terms; anything it has no rule for is `other`. */
export function statementAction(node: Node | undefined): StatementAction {
  const type = nodeType(node);
  const create = nodeAs(node, 'CreateStmt');
  if (create) return createTable(create);
  const createAs = nodeAs(node, 'CreateTableAsStmt');
  if (createAs) return createTableAs(createAs);
  const alter = nodeAs(node, 'AlterTableStmt');
  if (alter && alter.objtype === 'OBJECT_TABLE')
    return {
      kind: 'alter-table',
      table: rangeVarName(alter.relation),
      ifExists: alter.missing_ok === true,
      commands: (alter.cmds ?? []).flatMap((cmd) => {
        const command = nodeAs(cmd, 'AlterTableCmd');
        return command === undefined ? [] : [alterTableCommand(command)];
      }),
    };
  const index = nodeAs(node, 'IndexStmt');
  if (index)
    return {
      kind: 'create-index',
      ...(index.idxname === undefined ? {} : { name: index.idxname }),
      table: rangeVarName(index.relation),
      unique: index.unique === true,
      concurrently: index.concurrent === true,
      ifNotExists: index.if_not_exists === true,
    };
  const dropStatement = nodeAs(node, 'DropStmt');
  if (dropStatement) return drop(dropStatement);
  const truncate = nodeAs(node, 'TruncateStmt');
  if (truncate)
    return {
      kind: 'truncate',
      tables: (truncate.relations ?? []).map((r) => rangeVarName(nodeAs(r, 'RangeVar'))),
    };
  const renameStatement = nodeAs(node, 'RenameStmt');
  if (renameStatement) return rename(renameStatement);
  return otherStatement(node, type);
}

function otherStatement(node: Node | undefined, type: string): StatementAction {
  const object = (
    kind: ObjectKind,
    name: string[],
    guarded: boolean,
    guardable = true,
  ): StatementAction => ({
    kind: 'create-object',
    object: kind,
    name: qualified(name),
    guarded,
    guardable,
  });
  const schema = nodeAs(node, 'CreateSchemaStmt');
  if (schema) return object('schema', [schema.schemaname ?? ''], schema.if_not_exists === true);
  const sequence = nodeAs(node, 'CreateSeqStmt');
  if (sequence) {
    const name = rangeVarName(sequence.sequence);
    return {
      kind: 'create-object',
      object: 'sequence',
      name,
      guarded: sequence.if_not_exists === true,
      guardable: true,
    };
  }
  const extension = nodeAs(node, 'CreateExtensionStmt');
  if (extension)
    return object('extension', [extension.extname ?? ''], extension.if_not_exists === true);
  const view = nodeAs(node, 'ViewStmt');
  if (view)
    return {
      kind: 'create-object',
      object: 'view',
      name: rangeVarName(view.view),
      guarded: view.replace === true,
      guardable: true,
    };
  const fn = nodeAs(node, 'CreateFunctionStmt');
  if (fn) return object('function', names(fn.funcname), fn.replace === true);
  const trigger = nodeAs(node, 'CreateTrigStmt');
  if (trigger)
    return {
      kind: 'create-object',
      object: 'trigger',
      name: { name: trigger.trigname ?? '' },
      guarded: trigger.replace === true,
      guardable: trigger.isconstraint !== true,
      table: rangeVarName(trigger.relation),
    };
  const enumType = nodeAs(node, 'CreateEnumStmt');
  if (enumType) return object('type', names(enumType.typeName), false, false);
  const composite = nodeAs(node, 'CompositeTypeStmt');
  if (composite) return object('type', [composite.typevar?.relname ?? ''], false, false);
  const reindex = nodeAs(node, 'ReindexStmt');
  if (reindex)
    return {
      kind: 'reindex',
      concurrently: (reindex.params ?? []).some(
        (p) => nodeAs(p, 'DefElem')?.defname === 'concurrently',
      ),
      target: reindex.relation?.relname ?? reindex.name ?? '',
    };
  const transaction = nodeAs(node, 'TransactionStmt');
  if (transaction)
    return { kind: 'transaction', action: TRANSACTIONS[transaction.kind ?? ''] ?? 'other' };
  const set = nodeAs(node, 'VariableSetStmt');
  if (set && set.kind !== 'VAR_SET_MULTI') {
    const value =
      set.kind === 'VAR_SET_VALUE'
        ? (set.args ?? []).map((arg) => constantText(arg) ?? '?').join(', ')
        : undefined;
    return {
      kind: 'set',
      name: set.kind === 'VAR_RESET_ALL' ? 'all' : (set.name ?? ''),
      ...(value === undefined ? {} : { value }),
      local: set.is_local === true,
    };
  }
  const vacuum = nodeAs(node, 'VacuumStmt');
  if (vacuum?.is_vacuumcmd === true) return { kind: 'no-transaction-command', command: 'VACUUM' };
  const outside = OUTSIDE_TRANSACTION[type];
  if (outside !== undefined) return { kind: 'no-transaction-command', command: outside };
  return { kind: 'other', statementType: type };
}
