export type LintSeverity = 'error' | 'warning';

/** One problem in one migration file, as `lint migrations --json` reports it. */
export interface LintFinding {
  /** The file as the user named it (the directory they gave, joined with the file name). */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Stable rule id, e.g. `index-without-concurrently`; suppressions and SARIF use it. */
  readonly rule: string;
  readonly severity: LintSeverity;
  /** What is wrong and why it is dangerous. */
  readonly message: string;
  /** The safe rewrite. */
  readonly fix: string;
}

/** A finding an `eclusa:allow` comment accepted, kept with its reason as evidence. */
export interface SuppressedFinding extends LintFinding {
  readonly reason: string;
  /** Line of the `eclusa:allow` comment. */
  readonly suppressedAt: number;
}

export interface LintReport {
  /** Errors and warnings, in migration order, then by line. */
  readonly findings: readonly LintFinding[];
  readonly suppressed: readonly SuppressedFinding[];
  readonly files: number;
  readonly statements: number;
  /** True when no finding is an error. */
  readonly ok: boolean;
}

export function countErrors(findings: readonly LintFinding[]): number {
  return findings.filter((finding) => finding.severity === 'error').length;
}

/** `FILE:LINE RULE severity message (fix)`, the line the CLI prints. */
export function formatFinding(finding: LintFinding): string {
  return `${finding.file}:${finding.line} ${finding.rule} ${finding.severity} ${finding.message} (${finding.fix})`;
}
