import { formatName } from '../../qualified-name.js';
import { contractFix, unsafeDropReason } from '../contract-drop.js';
import type { LintRule, RuleHit } from '../lint-rule.js';

export const dropTable: LintRule = {
  id: 'drop-table',
  severity: 'error',
  summary: 'DROP TABLE of a table that was not deprecated a release earlier',
  why: 'Dropping a table destroys its data, and the release still running (or the one a rollback returns to) may read or write it. Expand/contract: stop using the table in one release, drop it in a later one, after a backup.',
  fix: 'Announce the drop with -- eclusa:deprecate table NAME since VERSION in an earlier migration, and drop it only in a later release.',
  examples: {
    release: '1.5.0',
    bad: "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nDROP TABLE IF EXISTS legacy_sessions;",
    good: {
      '001_deprecate_sessions.up.sql':
        '-- eclusa:deprecate table legacy_sessions since 1.4.0 — the app stopped using it in 1.4.0\n',
      '002_drop_sessions.up.sql':
        "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nDROP TABLE IF EXISTS legacy_sessions;",
    },
  },
  statement: (statement, context) => {
    const action = statement.action;
    if (action.kind !== 'drop' || action.object !== 'table') return [];
    return action.names.flatMap((name): RuleHit[] => {
      if (context.isNewTable(name)) return [];
      const why = unsafeDropReason(context, 'table', [name.schema ?? 'public', name.name]);
      if (why === undefined) return [];
      return [
        {
          message: `DROP TABLE ${formatName(name)} destroys its data while old code may still use it: ${why}`,
          fix: contractFix('table', formatName(name)),
        },
      ];
    });
  },
};
