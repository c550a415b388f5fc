import type { TableStat } from '../../../core/store/database-records.js';

/** Base tables of the current database with their columns, as `table \t column \t type` lines. */
export const MYSQL_COLUMNS = `SELECT c.TABLE_NAME, c.COLUMN_NAME, c.DATA_TYPE
FROM information_schema.COLUMNS c
JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
WHERE c.TABLE_SCHEMA = DATABASE() AND t.TABLE_TYPE = 'BASE TABLE'
ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION`;

const BINARY =
  /^(?:binary|varbinary|tinyblob|blob|mediumblob|longblob|bit|geometry|point|linestring|polygon|multipoint|multilinestring|multipolygon|geometrycollection)$/i;

export const quoteName = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

/**
 * One consistent-snapshot script that prints `table \t rows \t checksum` per table. Each
 * row becomes the hex of every column's text joined by `|` (`n` for NULL, never a hex
 * digit, so NULL and text stay apart); the checksum sums the first 64 bits of each row's
 * MD5, so row order does not matter.
 */
export function mysqlStatsScript(columnLines: string): string {
  const tables = new Map<string, string[]>();
  for (const line of columnLines.split('\n')) {
    if (line.trim() === '') continue;
    const [table = '', column = '', type = ''] = line.split('\t');
    const value = BINARY.test(type)
      ? `HEX(${quoteName(column)})`
      : `HEX(CAST(${quoteName(column)} AS CHAR))`;
    const list = tables.get(table) ?? [];
    list.push(`IFNULL(${value}, 'n')`);
    tables.set(table, list);
  }
  const selects = [...tables].map(
    ([table, values]) =>
      `SELECT ${quoteLiteral(table)}, COUNT(*), COALESCE(SUM(CAST(CONV(SUBSTRING(MD5(CONCAT_WS('|', ${values.join(', ')})), 1, 16), 16, 10) AS DECIMAL(65, 0))), 0) FROM ${quoteName(table)};`,
  );
  return [
    'SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ;',
    'START TRANSACTION WITH CONSISTENT SNAPSHOT;',
    ...selects,
    'COMMIT;',
  ].join('\n');
}

export function parseMysqlStats(output: string): TableStat[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [table = '', rows = '0', checksum = '0'] = line.split('\t');
      return { table, rows: Number(rows), checksum };
    });
}

function quoteLiteral(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
