import type pg from 'pg';
import type { TableStat } from '../../../core/store/database-records.js';

/*
 * Ordinary tables outside the system schemas, leaving out tables that belong to an extension
 * (pg_dump leaves their rows out too). Partitions are counted as the tables that hold rows.
 */
const TABLES = `
  select n.nspname as schema, c.relname as name
  from pg_catalog.pg_class c
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  where c.relkind = 'r'
    and n.nspname <> 'information_schema'
    and n.nspname not like 'pg\\_%'
    and not exists (
      select 1 from pg_catalog.pg_depend d
      where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = c.oid and d.deptype = 'e'
    )
  order by 1, 2`;

/**
 * Row count and an order-independent checksum of every table: the sum of the first 64 bits
 * of each row's md5, so restoring rows in another physical order gives the same value, and
 * the query needs constant memory however large the table.
 */
export async function postgresTableStats(client: pg.Client): Promise<TableStat[]> {
  const tables = await client.query<{ schema: string; name: string }>(TABLES);
  const stats: TableStat[] = [];
  for (const { schema, name } of tables.rows) {
    const qualified = `${client.escapeIdentifier(schema)}.${client.escapeIdentifier(name)}`;
    const { rows } = await client.query<{ rows: string; checksum: string }>(
      `select count(*)::text as rows,
              coalesce(sum(('x' || left(md5(t::text), 16))::bit(64)::bigint), 0)::text as checksum
       from ${qualified} as t`,
    );
    const row = rows[0];
    stats.push({
      table: `${schema}.${name}`,
      rows: Number(row?.rows ?? 0),
      checksum: row?.checksum ?? '0',
    });
  }
  return stats;
}
