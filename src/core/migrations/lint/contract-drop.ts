import type { DeprecatedKind } from './directives.js';
import type { StatementContext } from './lint-rule.js';

/**
 * Why dropping this object is unsafe, or undefined when it is the undo of the paired up
 * file, or the contract step of an expand/contract announced at least a release ago.
 */
export function unsafeDropReason(
  context: StatementContext,
  kind: DeprecatedKind,
  parts: readonly string[],
): string | undefined {
  if (context.role === 'down' && context.createdByPairedUp(kind, parts)) return undefined;
  const verdict = context.contract(kind, parts);
  return verdict.allowed ? undefined : verdict.why;
}

/** The expand/contract fix, spelled out for one object. */
export function contractFix(kind: DeprecatedKind, name: string): string {
  return `stop using it first: add -- eclusa:deprecate ${kind} ${name} since <this release> to a migration, ship that release, and drop it in a later one`;
}
