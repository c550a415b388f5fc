import { EclusaError } from '../core/errors/eclusa-error.js';
import { formatIssue, type PolicyIssue } from '../core/policy/policy-issue.js';
import { writeJson, type CliIo } from './cli-io.js';

const REPORT = 'report it as an eclusa bug, with the command you ran and this output';

/** The CLI's one error boundary: every failure becomes a message and a contract exit code. */
export function reportError(io: CliIo, error: unknown, json: boolean): number {
  const known = error instanceof EclusaError ? error : undefined;
  const issues = (known?.details as { errors?: PolicyIssue[] } | undefined)?.errors;
  if (json) {
    writeJson(io, {
      ok: false,
      error: {
        code: known?.code ?? 'INTERNAL',
        message: known?.message ?? (error instanceof Error ? error.message : String(error)),
        hint: known?.hint ?? `this is a bug in eclusa: ${REPORT}`,
        retryable: known?.retryable ?? false,
      },
      ...(issues ? { errors: issues } : {}),
    });
  } else if (known) {
    for (const issue of issues ?? []) io.err(formatIssue(issue));
    io.err(`error ${known.code}: ${known.message}${known.hint ? `\n  hint: ${known.hint}` : ''}`);
  } else {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.err(`internal error: ${detail}\nThis is a bug in eclusa: ${REPORT}.`);
  }
  return known?.exitCode ?? 1;
}
