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

/** Marks a checksum taken with the row-hash method; checksums without a prefix are md5 of text. */
export const ROW_HASH_PREFIX = 'rh1:';

/** hash_record_extended, which hashes each column with its type's own hash function, is PostgreSQL 14+. */
const ROW_HASH_SINCE = 140_000;

/** SQLSTATE of "could not identify a hash function for type json" and the like. */
const UNDEFINED_FUNCTION = '42883';

/**
 * Row count and an order-independent checksum of every table, read in the caller's
 * transaction (which must be open). Both methods sum a 64-bit hash per row, so rows restored
 * in another physical order give the same value, in constant memory however large the table:
 *
 * - row hash (`rh1:` prefix): `hash_record_extended`, each column hashed by its type's hash
 *   function — the functions hash partitioning relies on, so stable across major versions —
 *   about five times cheaper than formatting the row as text, which is what lets the
 *   checksums be taken beside pg_dump without slowing it down;
 * - md5 of the row's text (no prefix): for servers before 14, tables with a column type that
 *   has no hash function (json, xml, point…), and to recompute checksums recorded by older
 *   eclusa versions.
 *
 * `like`, when given, are checksums recorded earlier: each table is then hashed with the
 * method its recorded checksum used, so a drill compares like with like.
 */
export async function postgresTableStats(
  client: pg.Client,
  like?: readonly TableStat[],
): Promise<TableStat[]> {
  const tables = await client.query<{ schema: string; name: string }>(TABLES);
  const version = await client.query<{ num: string }>(
    "select current_setting('server_version_num') as num",
  );
  const rowHash = Number(version.rows[0]?.num) >= ROW_HASH_SINCE;
  const recorded = new Map(like?.map((stat) => [stat.table, stat.checksum]));
  const stats: TableStat[] = [];
  for (const { schema, name } of tables.rows) {
    const table = `${schema}.${name}`;
    const qualified = `${client.escapeIdentifier(schema)}.${client.escapeIdentifier(name)}`;
    const earlier = recorded.get(table);
    const wantRowHash = rowHash && (earlier === undefined || earlier.startsWith(ROW_HASH_PREFIX));
    const stat =
      (wantRowHash ? await rowHashStat(client, qualified) : undefined) ??
      (await textStat(client, qualified));
    stats.push({ table, ...stat });
  }
  return stats;
}

type Stat = { rows: number; checksum: string };

/** The row-hash checksum, or undefined when a column's type has no hash function. */
async function rowHashStat(client: pg.Client, qualified: string): Promise<Stat | undefined> {
  // A savepoint keeps the transaction (and the snapshot pg_dump shares) alive on failure.
  await client.query('savepoint eclusa_row_hash');
  try {
    const { rows } = await client.query<{ rows: string; checksum: string }>(
      `select count(*)::text as rows,
              coalesce(sum(hash_record_extended(t, 0)), 0)::text as checksum
       from ${qualified} as t`,
    );
    await client.query('release savepoint eclusa_row_hash');
    return {
      rows: Number(rows[0]?.rows ?? 0),
      checksum: `${ROW_HASH_PREFIX}${rows[0]?.checksum ?? '0'}`,
    };
  } catch (error) {
    if ((error as { code?: string }).code !== UNDEFINED_FUNCTION) throw error;
    await client.query('rollback to savepoint eclusa_row_hash');
    return undefined;
  }
}

async function textStat(client: pg.Client, qualified: string): Promise<Stat> {
  const { rows } = await client.query<{ rows: string; checksum: string }>(
    `select count(*)::text as rows,
            coalesce(sum(('x' || left(md5(t::text), 16))::bit(64)::bigint), 0)::text as checksum
     from ${qualified} as t`,
  );
  return { rows: Number(rows[0]?.rows ?? 0), checksum: rows[0]?.checksum ?? '0' };
}
