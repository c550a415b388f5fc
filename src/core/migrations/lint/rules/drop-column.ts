import { formatName } from '../../qualified-name.js';
import { contractFix, unsafeDropReason } from '../contract-drop.js';
import type { LintRule, RuleHit } from '../lint-rule.js';

export const dropColumn: LintRule = {
  id: 'drop-column',
  severity: 'error',
  summary: 'DROP COLUMN of a column that was not deprecated a release earlier',
  why: 'The running release still selects and inserts the column: its queries fail the moment the column is gone, and a rollback cannot bring the data back. Expand/contract: stop reading and writing it in one release, drop it in a later one.',
  fix: 'Announce the drop with -- eclusa:deprecate column TABLE.COLUMN since VERSION in an earlier migration, and drop it only in a later release.',
  examples: {
    release: '1.5.0',
    bad: "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nALTER TABLE users DROP COLUMN IF EXISTS legacy_email;",
    good: {
      '001_deprecate_legacy_email.up.sql':
        '-- eclusa:deprecate column users.legacy_email since 1.4.0 — the app stopped using it in 1.4.0\n',
      '002_drop_legacy_email.up.sql':
        "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nALTER TABLE users DROP COLUMN IF EXISTS legacy_email;",
    },
  },
  statement: (statement, context) => {
    const action = statement.action;
    if (action.kind !== 'alter-table' || context.isNewTable(action.table)) return [];
    const table = action.table;
    return action.commands.flatMap((command): RuleHit[] => {
      if (command.kind !== 'drop-column') return [];
      const parts = [table.schema ?? 'public', table.name, command.column];
      const why = unsafeDropReason(context, 'column', parts);
      if (why === undefined) return [];
      const name = `${formatName(table)}.${command.column}`;
      return [
        {
          message: `DROP COLUMN ${name} breaks the queries of the release still running and loses its data: ${why}`,
          fix: contractFix('column', name),
        },
      ];
    });
  },
};
