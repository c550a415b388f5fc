import { formatName } from '../../qualified-name.js';
import type { ConstraintSpec } from '../../sql-statement.js';
import type { LintRule, RuleHit } from '../lint-rule.js';

/** Constraints PostgreSQL can add NOT VALID and check later without blocking writes. */
const DEFERRABLE_CHECK = new Set(['foreign-key', 'check', 'not-null']);

function label(constraint: ConstraintSpec): string {
  const kind =
    constraint.kind === 'foreign-key'
      ? 'FOREIGN KEY'
      : constraint.kind === 'not-null'
        ? 'NOT NULL'
        : 'CHECK';
  return constraint.name === undefined ? kind : `${kind} ${constraint.name}`;
}

export const constraintWithoutNotValid: LintRule = {
  id: 'constraint-without-not-valid',
  severity: 'error',
  summary: 'FOREIGN KEY or CHECK added to an existing table without NOT VALID',
  why: 'Adding the constraint checks every existing row while holding a lock that blocks writes (a foreign key locks the referenced table too). NOT VALID adds it instantly for new rows; VALIDATE CONSTRAINT later checks the old ones under a lock that lets reads and writes through, but only if it runs in a later transaction.',
  fix: 'ALTER TABLE t ADD CONSTRAINT c … NOT VALID; then, in a separate migration (another transaction), ALTER TABLE t VALIDATE CONSTRAINT c.',
  examples: {
    bad: "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);",
    good: {
      '001_orders_customer_fk.up.sql':
        "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;",
      '002_orders_customer_fk_validate.up.sql':
        "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30min';\nALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;",
    },
  },
  statement: (statement, context) => {
    const action = statement.action;
    if (action.kind !== 'alter-table' || context.isNewTable(action.table)) return [];
    const table = formatName(action.table);
    return action.commands.flatMap((command): RuleHit[] => {
      if (command.kind === 'add-constraint') {
        const constraint = command.constraint;
        if (!DEFERRABLE_CHECK.has(constraint.kind) || constraint.notValid) return [];
        return [
          {
            message: `adding ${label(constraint)} checks every row of ${table} while blocking its writes${constraint.references ? ` and those of ${formatName(constraint.references)}` : ''}`,
            fix: `ADD CONSTRAINT … NOT VALID here, and VALIDATE CONSTRAINT ${constraint.name ?? '…'} in a later migration`,
          },
        ];
      }
      if (command.kind === 'add-column')
        return command.column.constraints
          .filter((c) => c.kind === 'foreign-key' || c.kind === 'check')
          .map((constraint) => ({
            message: `the inline ${label(constraint)} on new column ${command.column.name} is checked against every row of ${table} while writes wait`,
            fix: `add the column without it, then ADD CONSTRAINT … NOT VALID and VALIDATE CONSTRAINT in a later migration`,
          }));
      if (
        command.kind === 'validate-constraint' &&
        context.addedNotValidInTransaction(action.table, command.name)
      )
        return [
          {
            message: `VALIDATE CONSTRAINT ${command.name} runs in the same transaction that added it NOT VALID, so the write-blocking lock of the ADD is held for the whole scan`,
            fix: 'commit first: validate in a later migration file',
          },
        ];
      return [];
    });
  },
};
