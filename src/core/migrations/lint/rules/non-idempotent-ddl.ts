import { formatName } from '../../qualified-name.js';
import type { ObjectKind, SqlStatement } from '../../sql-statement.js';
import type { LintRule, RuleHit } from '../lint-rule.js';

const OR_REPLACE: ReadonlySet<ObjectKind> = new Set(['view', 'function', 'trigger']);

function noun(kind: ObjectKind): string {
  return kind.replace('-', ' ').toUpperCase();
}

function hits(statement: SqlStatement): RuleHit[] {
  const action = statement.action;
  switch (action.kind) {
    case 'create-table':
      if (action.ifNotExists || action.temporary) return [];
      return [
        {
          message: `CREATE TABLE ${formatName(action.table)} fails when the table already exists`,
          fix: `CREATE TABLE IF NOT EXISTS ${formatName(action.table)} …`,
        },
      ];
    case 'create-index':
      if (action.ifNotExists) return [];
      return action.name === undefined
        ? [
            {
              message: `an unnamed CREATE INDEX on ${formatName(action.table)} builds a second, duplicate index when run again`,
              fix: 'name the index and write CREATE INDEX CONCURRENTLY IF NOT EXISTS name ON …',
            },
          ]
        : [
            {
              message: `CREATE INDEX ${action.name} fails when the index already exists`,
              fix: `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${action.name} ON …`,
            },
          ];
    case 'create-object': {
      if (action.guarded || !action.guardable) return [];
      const clause = OR_REPLACE.has(action.object) ? 'OR REPLACE' : 'IF NOT EXISTS';
      const written =
        clause === 'OR REPLACE'
          ? `CREATE OR REPLACE ${noun(action.object)}`
          : `CREATE ${noun(action.object)} IF NOT EXISTS`;
      return [
        {
          message: `CREATE ${noun(action.object)} ${formatName(action.name)} fails when it already exists`,
          fix: `${written} ${formatName(action.name)} …`,
        },
      ];
    }
    case 'drop':
      if (action.ifExists) return [];
      return [
        {
          message: `DROP ${noun(action.object)} ${action.names.map(formatName).join(', ')} fails when it is already gone`,
          fix: `DROP ${noun(action.object)} IF EXISTS …`,
        },
      ];
    case 'alter-table':
      return action.commands.flatMap((command): RuleHit[] => {
        if (command.kind === 'add-column' && !command.ifNotExists)
          return [
            {
              message: `ADD COLUMN ${command.column.name} fails when ${formatName(action.table)} already has it`,
              fix: `ADD COLUMN IF NOT EXISTS ${command.column.name} …`,
            },
          ];
        if (command.kind === 'drop-column' && !command.ifExists)
          return [
            {
              message: `DROP COLUMN ${command.column} fails when the column is already gone`,
              fix: `DROP COLUMN IF EXISTS ${command.column}`,
            },
          ];
        if (command.kind === 'drop-constraint' && !command.ifExists)
          return [
            {
              message: `DROP CONSTRAINT ${command.name} fails when the constraint is already gone`,
              fix: `DROP CONSTRAINT IF EXISTS ${command.name}`,
            },
          ];
        return [];
      });
    default:
      return [];
  }
}

export const nonIdempotentDdl: LintRule = {
  id: 'non-idempotent-ddl',
  severity: 'error',
  summary: 'DDL without IF [NOT] EXISTS or OR REPLACE where PostgreSQL offers it',
  why: 'A migration that stops halfway (a no-transaction file, a lock timeout, a manual fix applied in production) must be safe to run again; without IF NOT EXISTS / IF EXISTS the second run fails on what the first one already did.',
  fix: 'CREATE … IF NOT EXISTS, DROP … IF EXISTS, ADD COLUMN IF NOT EXISTS, DROP COLUMN IF EXISTS, CREATE OR REPLACE VIEW/FUNCTION/TRIGGER.',
  examples: {
    bad: 'CREATE TABLE invoices (id bigint PRIMARY KEY, total numeric(12,2));',
    good: 'CREATE TABLE IF NOT EXISTS invoices (id bigint PRIMARY KEY, total numeric(12,2));',
  },
  statement: (statement) => hits(statement),
};
