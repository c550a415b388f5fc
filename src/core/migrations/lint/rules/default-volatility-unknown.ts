import { formatName } from '../../qualified-name.js';
import { defaultVolatility } from '../default-volatility.js';
import type { LintRule, RuleHit } from '../lint-rule.js';

export const defaultVolatilityUnknown: LintRule = {
  id: 'default-volatility-unknown',
  severity: 'warning',
  summary: 'ADD COLUMN with a default that calls a function eclusa does not know',
  why: 'If the function is VOLATILE the table is rewritten under an ACCESS EXCLUSIVE lock; if it is STABLE or IMMUTABLE nothing is. eclusa knows the built-in functions, not yours.',
  fix: 'Check pg_proc.provolatile of the function; if it is not v, keep the statement with -- eclusa:allow default-volatility-unknown reason: …',
  examples: {
    bad: "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nALTER TABLE orders ADD COLUMN IF NOT EXISTS region text DEFAULT app.default_region();",
    good: "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '30s';\nALTER TABLE orders ADD COLUMN IF NOT EXISTS region text DEFAULT 'sa-east-1';",
  },
  statement: (statement, context) => {
    const action = statement.action;
    if (action.kind !== 'alter-table' || context.isNewTable(action.table)) return [];
    return action.commands.flatMap((command): RuleHit[] => {
      if (command.kind !== 'add-column') return [];
      const verdict = defaultVolatility(command.column);
      if (verdict.kind !== 'unknown') return [];
      const functions = verdict.functions.map((f) => `${f}()`).join(', ');
      return [
        {
          message: `the default of ${formatName(action.table)}.${command.column.name} calls ${functions}; if that is VOLATILE the whole table is rewritten`,
        },
      ];
    });
  },
};
