import type { TableMismatch, TableStat } from '../store/database-records.js';

/**
 * Tables whose row count or checksum after a restore differs from what the backup
 * captured, and tables only one side has. Empty means the restore gave back every row. Pure.
 */
export function compareTableStats(
  expected: readonly TableStat[],
  actual: readonly TableStat[],
): TableMismatch[] {
  const restored = new Map(actual.map((stat) => [stat.table, stat]));
  const mismatches: TableMismatch[] = [];
  const strip = (stat: TableStat) => ({ rows: stat.rows, checksum: stat.checksum });
  for (const stat of expected) {
    const other = restored.get(stat.table);
    restored.delete(stat.table);
    if (other === undefined) mismatches.push({ table: stat.table, expected: strip(stat) });
    else if (other.rows !== stat.rows || other.checksum !== stat.checksum)
      mismatches.push({ table: stat.table, expected: strip(stat), actual: strip(other) });
  }
  for (const stat of restored.values()) mismatches.push({ table: stat.table, actual: strip(stat) });
  return mismatches.sort((a, b) => a.table.localeCompare(b.table));
}
