import type { SchemaDifference } from '../store/database-records.js';
import { describeEntry, type SchemaEntry } from './schema-entries.js';

/**
 * The objects whose definitions differ between the live schema and the one the applied
 * migrations produce, named the way people say them. Sorted by name. Pure.
 */
export function diffSchemas(
  live: readonly SchemaEntry[],
  expected: readonly SchemaEntry[],
): SchemaDifference[] {
  const liveByKey = new Map(live.map((entry) => [entry.key, entry]));
  const expectedByKey = new Map(expected.map((entry) => [entry.key, entry]));
  const differences: SchemaDifference[] = [];
  for (const entry of live) {
    const other = expectedByKey.get(entry.key);
    if (other === undefined)
      differences.push({ object: describeEntry(entry), change: 'extra', live: entry.sql });
    else if (other.sql !== entry.sql)
      differences.push({
        object: describeEntry(entry),
        change: 'changed',
        live: entry.sql,
        expected: other.sql,
      });
  }
  for (const entry of expected) {
    if (!liveByKey.has(entry.key))
      differences.push({ object: describeEntry(entry), change: 'missing', expected: entry.sql });
  }
  return differences.sort((a, b) => a.object.localeCompare(b.object));
}
