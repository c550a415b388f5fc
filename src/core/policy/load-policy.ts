import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { CompiledPolicy } from './compiled-policy.js';
import { compilePolicy } from './compile-policy.js';
import { formatPath, sortIssues, type PolicyIssue, type PolicyPath } from './policy-issue.js';
import { overlaySource } from './policy-overlay.js';
import { parsePolicySource, type PolicySource } from './policy-source.js';
import { schemaIssues } from './schema-issues.js';
import { policySchema } from './schema/policy-schema.js';
import { analysisRule } from './rules/analysis-rule.js';
import { backupBeforeMigrateRule } from './rules/backup-rule.js';
import { contentRule } from './rules/content-rule.js';
import { promotionRule } from './rules/promotion-rule.js';
import { quorumRule } from './rules/quorum-rule.js';
import { referencesRule } from './rules/references-rule.js';
import { routerRule } from './rules/router-rule.js';
import type { PolicyRule, RuleContext } from './rules/rule-context.js';
import { reportInlineSecrets } from './rules/secrets-rule.js';
import { strategyRule } from './rules/strategy-rule.js';
import { windowsRule } from './rules/windows-rule.js';

export type PolicyLoadResult =
  | {
      readonly ok: true;
      readonly policy: CompiledPolicy;
      readonly errors: readonly [];
      readonly warnings: readonly PolicyIssue[];
    }
  | {
      readonly ok: false;
      readonly policy?: undefined;
      readonly errors: readonly PolicyIssue[];
      readonly warnings: readonly PolicyIssue[];
    };

/** The semantic rules, run in this order on a schema-valid, compiled policy. */
export const POLICY_RULES: readonly PolicyRule[] = [
  referencesRule,
  promotionRule,
  strategyRule,
  routerRule,
  backupBeforeMigrateRule,
  quorumRule,
  windowsRule,
  contentRule,
  analysisRule,
];

function collector(source: PolicySource, issues: PolicyIssue[]): RuleContext {
  const add =
    (severity: PolicyIssue['severity']) =>
    (path: PolicyPath, code: string, message: string, hint: string) => {
      issues.push({
        severity,
        file: source.fileAt?.(path) ?? source.file,
        ...source.locate(path),
        code,
        message,
        hint,
        path: formatPath(path),
      });
    };
  return { error: add('error'), warning: add('warning') };
}

function result(issues: PolicyIssue[], policy?: CompiledPolicy): PolicyLoadResult {
  const sorted = sortIssues(issues);
  const errors = sorted.filter((issue) => issue.severity === 'error');
  const warnings = sorted.filter((issue) => issue.severity === 'warning');
  if (errors.length === 0 && policy) return { ok: true, policy, errors: [], warnings };
  return { ok: false, errors, warnings };
}

/**
 * Validates policy text in stages — YAML with positions, schema, normalisation, semantic
 * rules — and reports every problem at once. Pure: no file system, no clock.
 */
export function validatePolicyText(
  file: string,
  text: string,
  overlay?: { readonly file: string; readonly text: string },
): PolicyLoadResult {
  const base = parsePolicySource(file, text);
  const source = overlay
    ? overlaySource(base, parsePolicySource(overlay.file, overlay.text))
    : base;
  const issues: PolicyIssue[] = [...source.syntaxIssues];
  if (issues.some((issue) => issue.severity === 'error')) return result(issues);

  const context = collector(source, issues);
  reportInlineSecrets(source.data, context);

  // A policy is validated once per load: interpreting the schema is cheaper than having zod
  // generate and compile a validator for every object in it first (about 20 ms at start-up).
  const parsed = policySchema.safeParse(source.data, { jitless: true });
  if (!parsed.success) {
    // A secret already reported at a path needs no second, schema-shaped error there.
    const secretPaths = new Set(
      issues.filter((issue) => issue.code === 'INLINE_SECRET').map((issue) => issue.path),
    );
    issues.push(
      ...schemaIssues(source, policySchema, parsed.error.issues).filter(
        (issue) => !secretPaths.has(issue.path),
      ),
    );
    return result(issues);
  }

  const digest = createHash('sha256')
    .update(overlay ? `${text}\0${overlay.text}` : text)
    .digest('hex');
  const policy = compilePolicy(parsed.data, file, digest);
  for (const rule of POLICY_RULES) rule(policy, context);
  return result(issues, policy);
}

/** A problem found after validation (e.g. by asking a server), to be placed in the file. */
export interface LateProblem {
  readonly severity: PolicyIssue['severity'];
  readonly path: PolicyPath;
  readonly code: string;
  readonly message: string;
  readonly hint: string;
}

/**
 * Places problems found after validation — a query Prometheus refused — at their line and
 * column in the policy file (or its profile overlay) that set the value.
 */
export async function locateProblems(
  file: string,
  problems: readonly LateProblem[],
  options: { readonly profile?: string } = {},
): Promise<PolicyIssue[]> {
  if (problems.length === 0) return [];
  const base = parsePolicySource(file, await readFile(file, 'utf8'));
  let source = base;
  if (options.profile) {
    const overlayFile = profileFile(file, options.profile);
    source = overlaySource(
      base,
      parsePolicySource(overlayFile, await readFile(overlayFile, 'utf8')),
    );
  }
  const issues: PolicyIssue[] = [];
  const context = collector(source, issues);
  for (const problem of problems)
    context[problem.severity](problem.path, problem.code, problem.message, problem.hint);
  return sortIssues(issues);
}

/** `eclusa.yaml` + profile `local` → `eclusa.local.yaml`, beside it. */
export function profileFile(file: string, profile: string): string {
  return file.replace(/(\.ya?ml)?$/, (ext) => `.${profile}${ext || '.yaml'}`);
}

/**
 * Reads and validates a policy file, with the overlay of `profile` merged in when one is
 * named; a missing or unreadable file is reported like any other error.
 */
export async function loadPolicyFile(
  file: string,
  options: { readonly profile?: string } = {},
): Promise<PolicyLoadResult> {
  if (options.profile) {
    const overlayFile = profileFile(file, options.profile);
    const [base, overlay] = await Promise.all([readPolicyText(file), readPolicyText(overlayFile)]);
    if (!base.ok) return base.result;
    if (!overlay.ok) return overlay.result;
    return validatePolicyText(file, base.text, { file: overlayFile, text: overlay.text });
  }
  const read = await readPolicyText(file);
  return read.ok ? validatePolicyText(file, read.text) : read.result;
}

async function readPolicyText(
  file: string,
): Promise<{ ok: true; text: string } | { ok: false; result: PolicyLoadResult }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      result: result([
        {
          severity: 'error',
          file,
          line: 1,
          column: 1,
          code: code === 'ENOENT' ? 'POLICY_NOT_FOUND' : 'POLICY_UNREADABLE',
          message:
            code === 'ENOENT'
              ? 'policy file not found'
              : `policy file cannot be read (${code ?? 'unknown error'})`,
          hint:
            code === 'ENOENT'
              ? 'run `eclusa init` to create one, or pass --file / set ECLUSA_POLICY'
              : 'check the path and its permissions',
          path: '(document)',
        },
      ]),
    };
  }
  return { ok: true, text };
}
