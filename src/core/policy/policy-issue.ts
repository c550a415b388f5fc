/** One finding about a policy file: where it is, a stable code, what is wrong and how to fix it. */
export interface PolicyIssue {
  readonly severity: 'error' | 'warning';
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly code: string;
  readonly message: string;
  readonly hint: string;
  /** Dotted path in the document, e.g. `environments[1].gates.approvals`. */
  readonly path: string;
}

export type PolicyPath = readonly (string | number)[];

export function formatPath(path: PolicyPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out === '' ? '(document)' : out;
}

/** `FILE:LINE:COL CODE message (hint)`, the one-line form the CLI prints. */
export function formatIssue(issue: PolicyIssue): string {
  const hint = issue.hint === '' ? '' : ` (${issue.hint})`;
  const prefix = issue.severity === 'warning' ? 'warning ' : '';
  return `${issue.file}:${issue.line}:${issue.column} ${prefix}${issue.code} ${issue.message}${hint}`;
}

/** Errors first in file order, then warnings in file order. */
export function sortIssues(issues: readonly PolicyIssue[]): PolicyIssue[] {
  return [...issues].sort(
    (a, b) =>
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      a.code.localeCompare(b.code),
  );
}
