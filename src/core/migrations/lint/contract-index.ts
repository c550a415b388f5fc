import { gt } from 'semver';
import { DEFAULT_SCHEMA, objectKey } from '../qualified-name.js';
import type { SqlStatement } from '../sql-statement.js';
import type { DeprecatedKind } from './directives.js';
import type { ContractVerdict, Deprecation } from './lint-rule.js';

/** `public.users`, `public.users.email`, `billing`: one key per droppable object. */
export function contractKey(kind: DeprecatedKind, parts: readonly string[]): string {
  if (kind === 'schema') return parts.join('.');
  const withSchema =
    parts.length === (kind === 'table' ? 1 : 2) ? [DEFAULT_SCHEMA, ...parts] : parts;
  return withSchema.join('.');
}

/**
 * Expand/contract bookkeeping: what earlier migrations deprecated, and in which release.
 * A drop passes once the release being linted is later than the one that deprecated it,
 * so at least one release ran without using the object.
 */
export class ContractIndex {
  private readonly deprecations = new Map<string, Deprecation>();

  deprecate(kind: DeprecatedKind, parts: readonly string[], deprecation: Deprecation): void {
    const key = `${kind}:${contractKey(kind, parts)}`;
    if (!this.deprecations.has(key)) this.deprecations.set(key, deprecation);
  }

  verdict(
    kind: DeprecatedKind,
    parts: readonly string[],
    release: string | undefined,
  ): ContractVerdict {
    const name = contractKey(kind, parts);
    const found = this.deprecations.get(`${kind}:${name}`);
    if (!found)
      return {
        allowed: false,
        why: `no earlier migration deprecated ${kind} ${name}`,
      };
    const where = `${found.file}:${found.line}`;
    if (release === undefined)
      return {
        allowed: false,
        why: `${kind} ${name} was deprecated in ${found.since} (${where}), but the current release is unknown: pass --release`,
      };
    if (!gt(release, found.since))
      return {
        allowed: false,
        why: `${kind} ${name} was deprecated in ${found.since} (${where}); release ${release} is not later, so old code may still use it`,
      };
    return { allowed: true };
  }
}

/** What an up file created: its down file may drop exactly these. */
export function createdObjects(statements: readonly SqlStatement[]): Set<string> {
  const created = new Set<string>();
  for (const { action } of statements) {
    if (action.kind === 'create-table') created.add(`table:${objectKey(action.table)}`);
    if (action.kind === 'create-object' && action.object === 'schema')
      created.add(`schema:${action.name.name}`);
    if (action.kind === 'alter-table')
      for (const command of action.commands)
        if (command.kind === 'add-column')
          created.add(`column:${objectKey(action.table)}.${command.column.name}`);
  }
  return created;
}
