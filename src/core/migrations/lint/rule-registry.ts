import type { LintRule } from './lint-rule.js';
import { columnTypeRewrite } from './rules/column-type-rewrite.js';
import { columnTypeUnverified } from './rules/column-type-unverified.js';
import { concurrentlyInTransaction } from './rules/concurrently-in-transaction.js';
import { constraintBuildsIndex } from './rules/constraint-builds-index.js';
import { constraintWithoutNotValid } from './rules/constraint-without-not-valid.js';
import { defaultVolatilityUnknown } from './rules/default-volatility-unknown.js';
import { dropColumn } from './rules/drop-column.js';
import { dropSchema } from './rules/drop-schema.js';
import { dropTable } from './rules/drop-table.js';
import { indexWithoutConcurrently } from './rules/index-without-concurrently.js';
import { invalidDirective } from './rules/invalid-directive.js';
import { missingLockTimeout } from './rules/missing-lock-timeout.js';
import { missingStatementTimeout } from './rules/missing-statement-timeout.js';
import { nonIdempotentDdl } from './rules/non-idempotent-ddl.js';
import { notNullWithoutDefault } from './rules/not-null-without-default.js';
import { parseError } from './rules/parse-error.js';
import { renameColumn } from './rules/rename-column.js';
import { renameTable } from './rules/rename-table.js';
import { setNotNull } from './rules/set-not-null.js';
import { suppressionWithoutReason } from './rules/suppression-without-reason.js';
import { transactionInWrappedFile } from './rules/transaction-in-wrapped-file.js';
import { truncateTable } from './rules/truncate-table.js';
import { unbalancedTransaction } from './rules/unbalanced-transaction.js';
import { unusedSuppression } from './rules/unused-suppression.js';
import { volatileDefault } from './rules/volatile-default.js';

/**
 * Every rule, in the order the documentation lists them. Ids are stable: suppressions,
 * SARIF results and CI scripts name them. The last four are reported by the linter itself.
 */
export const LINT_RULES: readonly LintRule[] = [
  nonIdempotentDdl,
  dropTable,
  dropColumn,
  dropSchema,
  truncateTable,
  renameTable,
  renameColumn,
  notNullWithoutDefault,
  setNotNull,
  indexWithoutConcurrently,
  concurrentlyInTransaction,
  constraintWithoutNotValid,
  constraintBuildsIndex,
  columnTypeRewrite,
  columnTypeUnverified,
  volatileDefault,
  defaultVolatilityUnknown,
  missingLockTimeout,
  missingStatementTimeout,
  unbalancedTransaction,
  transactionInWrappedFile,
  parseError,
  invalidDirective,
  suppressionWithoutReason,
  unusedSuppression,
];

export const LINT_RULE_IDS: readonly string[] = LINT_RULES.map((rule) => rule.id);
