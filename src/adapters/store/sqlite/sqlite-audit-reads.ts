import type BetterSqlite3 from 'better-sqlite3';
import type { AuditEventPack } from '../../../core/store/audit-event-pack.js';
import type { AuditEventRecord } from '../../../core/store/records.js';
import type { StoreSession } from '../kysely/store-connections.js';

type AuditEventRow = [number, string, string, string, string, string, string];

const EVENTS_FROM = 'from audit_events where seq >= ? order by seq limit ?';

/*
 * One row per batch: concat_ws writes each value and a 0xFF after it (NOT NULL columns, so
 * it never skips one), group_concat joins the events, and the cast keeps the bytes as
 * they are instead of decoding them to a string. The range ends at the seq of the
 * `limit`-th event rather than a subquery with `order by … limit`, whose rows SQLite
 * would copy once more on their way to group_concat. Rows reach group_concat in the
 * order of the rowid scan, ascending seq; were that ever not so, the walk would doubt
 * the pack and check it again from records, which `order by` keeps in order.
 */
const PACK_SQL = `select count(*), cast(group_concat(concat_ws(x'ff', seq, prev_hash, body, hash, at, kind, subject, ''), '') as blob)
  from audit_events where seq >= @from and seq <= coalesce(
    (select seq from audit_events where seq >= @from order by seq limit 1 offset @limit - 1),
    9223372036854775807)`;

/**
 * Audit reads that bypass Kysely on one better-sqlite3 connection: verifying a large log
 * reads every event.
 */
export function sqliteAuditReads(
  database: BetterSqlite3.Database,
): Required<Omit<StoreSession, 'db'>> {
  let rows: BetterSqlite3.Statement<[number, number], AuditEventRow> | undefined;
  let pack:
    BetterSqlite3.Statement<[{ from: number; limit: number }], [number, Buffer | null]> | undefined;
  return {
    // Rows come back as arrays and become records here, because building the objects in
    // JavaScript is much faster than better-sqlite3 building them (about 550,000 against
    // 350,000 events/s, measured with bench/store-audit-scan).
    readAuditBatch: (fromSeq, limit) => {
      rows ??= database
        .prepare<[number, number], AuditEventRow>(
          `select seq, at, kind, subject, body, prev_hash, hash ${EVENTS_FROM}`,
        )
        .raw();
      return rows
        .all(fromSeq, limit)
        .map(([seq, at, kind, subject, body, prevHash, hash]): AuditEventRecord => ({
          seq,
          at,
          kind,
          subject,
          body,
          prevHash,
          hash,
        }));
    },
    // SQLite packs a batch several times faster than JavaScript can receive it as rows,
    // each value a string of its own.
    readAuditPack: (fromSeq, limit): AuditEventPack => {
      pack ??= database
        .prepare<[{ from: number; limit: number }], [number, Buffer | null]>(PACK_SQL)
        .raw();
      const [count, bytes] = pack.get({ from: fromSeq, limit })!;
      return { count, bytes: bytes ?? new Uint8Array(0) };
    },
  };
}
