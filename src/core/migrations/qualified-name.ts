import type { QualifiedName } from './sql-statement.js';

/** Unqualified names resolve to `public`, the default search path. */
export const DEFAULT_SCHEMA = 'public';

/** A stable key for a table, index or sequence: `schema.name`. */
export function objectKey(name: QualifiedName): string {
  return `${name.schema ?? DEFAULT_SCHEMA}.${name.name}`;
}

/** The name as the migration wrote it, for messages. */
export function formatName(name: QualifiedName): string {
  return name.schema === undefined ? name.name : `${name.schema}.${name.name}`;
}
