import { contractFix, unsafeDropReason } from '../contract-drop.js';
import type { LintRule, RuleHit } from '../lint-rule.js';

export const dropSchema: LintRule = {
  id: 'drop-schema',
  severity: 'error',
  summary: 'DROP SCHEMA of a schema that was not deprecated a release earlier',
  why: 'A schema drop removes every table in it (with CASCADE) or fails halfway (without it); either way old code loses what it reads.',
  fix: 'Announce it with -- eclusa:deprecate schema NAME since VERSION in an earlier migration, and drop it only in a later release.',
  examples: {
    release: '1.5.0',
    bad: 'DROP SCHEMA IF EXISTS reporting CASCADE;',
    good: {
      '001_deprecate_reporting.up.sql':
        '-- eclusa:deprecate schema reporting since 1.4.0 — the app stopped using it in 1.4.0\n',
      '002_drop_reporting.up.sql': 'DROP SCHEMA IF EXISTS reporting CASCADE;',
    },
  },
  statement: (statement, context) => {
    const action = statement.action;
    if (action.kind !== 'drop' || action.object !== 'schema') return [];
    return action.names.flatMap((name): RuleHit[] => {
      const why = unsafeDropReason(context, 'schema', [name.name]);
      if (why === undefined) return [];
      return [
        {
          message: `DROP SCHEMA ${name.name} removes everything in it while old code may still use it: ${why}`,
          fix: contractFix('schema', name.name),
        },
      ];
    });
  },
};
