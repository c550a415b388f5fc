import { EclusaError } from '../errors/eclusa-error.js';
import { FORMAT_LABELS, type EvidenceFormat } from './evidence-format.js';

export interface EvidenceProblem {
  readonly fileName: string;
  readonly format: EvidenceFormat;
  /** What is wrong, e.g. `unclosed tag <class>`. */
  readonly reason: string;
  /** 1-based; absent when the problem belongs to the whole file (an empty report). */
  readonly line?: number;
  readonly column?: number;
  readonly hint?: string;
}

const DEFAULT_HINT =
  'upload the report exactly as the tool wrote it; eclusa refuses a truncated or inconsistent report rather than read zeros from it';

/**
 * A report that claims or looks like a known format but cannot be read. One class for
 * every format so the CLI and the server map it to a single stable code.
 */
export class EvidenceParseError extends EclusaError {
  readonly fileName: string;
  readonly format: EvidenceFormat;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly reason: string;

  constructor(problem: EvidenceProblem, options: { readonly cause?: unknown } = {}) {
    super('invalid-input', 'EVIDENCE_UNREADABLE', evidenceMessage(problem), {
      hint: problem.hint ?? DEFAULT_HINT,
      details: {
        fileName: problem.fileName,
        format: problem.format,
        line: problem.line,
        column: problem.column,
      },
      cause: options.cause,
    });
    this.name = 'EvidenceParseError';
    this.fileName = problem.fileName;
    this.format = problem.format;
    this.line = problem.line;
    this.column = problem.column;
    this.reason = problem.reason;
  }
}

function evidenceMessage(problem: EvidenceProblem): string {
  const label = FORMAT_LABELS[problem.format];
  if (problem.line === undefined) {
    return `${problem.fileName}: ${label} cannot be used: ${problem.reason}`;
  }
  const column = problem.column === undefined ? '' : `, column ${problem.column}`;
  return `${problem.fileName}: ${label} is malformed at line ${problem.line}${column}: ${problem.reason}`;
}
