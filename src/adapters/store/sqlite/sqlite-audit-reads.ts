import type BetterSqlite3 from 'better-sqlite3';
import type { AuditEventPack } from '../../../core/store/audit-event-pack.js';
import type { AuditEventRecord } from '../../../core/store/records.js';
import type { StoreSession } from '../kysely/store-connections.js';

type AuditEventRow = [number, string, string, string, string, string, string];

const EVENTS_FROM = 'from audit_events where seq >= ? order by seq limit ?';

/*
 * One row per batch: concat_ws writes each value and a 0xFF after it (NOT NULL columns, so
 * it never skips one), group_concat joins the events, and the cast keeps the bytes as
 * they are instead of decoding them to a string. The subquery hands rows to group_concat
 * in its seq order; were that ever not so, the walk would doubt the batch and check it
 * again from records, which `order by` keeps in order.
 */
const PACK_SQL = `select count(*), cast(group_concat(concat_ws(x'ff', seq, prev_hash, body, hash, at, kind, subject, ''), '') as blob)
  from (select seq, prev_hash, body, hash, at, kind, subject ${EVENTS_FROM})`;

/**
 * Audit reads that bypass Kysely on one better-sqlite3 connection: verifying a large log
 * reads every event.
 */
export function sqliteAuditReads(
  database: BetterSqlite3.Database,
): Required<Omit<StoreSession, 'db'>> {
  let rows: BetterSqlite3.Statement<[number, number], AuditEventRow> | undefined;
  let pack: BetterSqlite3.Statement<[number, number], [number, Buffer | null]> | undefined;
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
      pack ??= database.prepare<[number, number], [number, Buffer | null]>(PACK_SQL).raw();
      const [count, bytes] = pack.get(fromSeq, limit)!;
      return { count, bytes: bytes ?? new Uint8Array(0) };
    },
  };
}
