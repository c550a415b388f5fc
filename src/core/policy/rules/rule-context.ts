import type { CompiledPolicy } from '../compiled-policy.js';
import type { PolicyPath } from '../policy-issue.js';
import { didYouMean } from '../../text/did-you-mean.js';

export type Report = (path: PolicyPath, code: string, message: string, hint: string) => void;

export interface RuleContext {
  readonly error: Report;
  readonly warning: Report;
}

/** A semantic rule: reads the compiled policy, reports what is wrong with it. */
export type PolicyRule = (policy: CompiledPolicy, context: RuleContext) => void;

/**
 * Reports a name that points to nothing, suggesting the closest known name.
 * `what` is the kind of thing referred to ("role", "environment" …).
 */
export function checkReference(
  context: RuleContext,
  path: PolicyPath,
  name: string | undefined,
  known: Iterable<string>,
  what: string,
  whereDefined: string,
): void {
  if (name === undefined) return;
  const names = [...known];
  if (names.includes(name)) return;
  const guess = didYouMean(name, names);
  context.error(
    path,
    'UNKNOWN_REFERENCE',
    `${what} "${name}" is not defined`,
    guess
      ? `did you mean "${guess}"?`
      : names.length > 0
        ? `define it under ${whereDefined} or use one of: ${names.join(', ')}`
        : `define it under ${whereDefined}`,
  );
}

export function keysOf(record: Readonly<Record<string, unknown>> | undefined): string[] {
  return Object.keys(record ?? {});
}
