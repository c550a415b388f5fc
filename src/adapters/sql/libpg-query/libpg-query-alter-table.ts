import type { AlterTableCmd } from 'libpg-query';
import type { AlterTableCommand } from '../../../core/migrations/sql-statement.js';
import { columnSpec, constraintSpec, expressionSpec, typeSpec } from './libpg-query-columns.js';
import { nodeAs } from './libpg-query-nodes.js';

/** One `ALTER TABLE` subcommand in the linter's terms. */
export function alterTableCommand(command: AlterTableCmd): AlterTableCommand {
  const column = command.name ?? '';
  switch (command.subtype) {
    case 'AT_AddColumn':
      return {
        kind: 'add-column',
        column: columnSpec(nodeAs(command.def, 'ColumnDef')),
        ifNotExists: command.missing_ok === true,
      };
    case 'AT_DropColumn':
      return {
        kind: 'drop-column',
        column,
        ifExists: command.missing_ok === true,
        cascade: command.behavior === 'DROP_CASCADE',
      };
    case 'AT_AlterColumnType': {
      const definition = nodeAs(command.def, 'ColumnDef');
      return {
        kind: 'alter-column-type',
        column,
        type: typeSpec(definition?.typeName),
        // The grammar keeps USING's expression in raw_default.
        using: definition?.raw_default !== undefined,
      };
    }
    case 'AT_SetNotNull':
      return { kind: 'set-not-null', column };
    case 'AT_DropNotNull':
      return { kind: 'drop-not-null', column };
    case 'AT_ColumnDefault':
      return command.def === undefined
        ? { kind: 'set-default', column }
        : { kind: 'set-default', column, default: expressionSpec(command.def) };
    case 'AT_AddConstraint': {
      const constraint = nodeAs(command.def, 'Constraint');
      return constraint === undefined
        ? { kind: 'other', subtype: command.subtype }
        : { kind: 'add-constraint', constraint: constraintSpec(constraint) };
    }
    case 'AT_ValidateConstraint':
      return { kind: 'validate-constraint', name: column };
    case 'AT_DropConstraint':
      return { kind: 'drop-constraint', name: column, ifExists: command.missing_ok === true };
    case 'AT_DetachPartition':
      return {
        kind: 'detach-partition',
        concurrently: nodeAs(command.def, 'PartitionCmd')?.concurrent === true,
      };
    default:
      return { kind: 'other', subtype: command.subtype ?? 'unknown' };
  }
}
