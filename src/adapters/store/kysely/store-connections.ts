import type { Kysely } from 'kysely';
import type { AuditEventPack } from '../../../core/store/audit-event-pack.js';
import type { AuditEventRecord } from '../../../core/store/records.js';
import type { Database } from './tables.js';

/** One connection inside one open transaction, as a reader or writer uses it. */
export interface StoreSession {
  readonly db: Kysely<Database>;
  /**
   * Events with seq ≥ fromSeq, ascending, at most `limit`, read on the session's connection
   * by a faster path than a Kysely query where the driver offers one.
   */
  readonly readAuditBatch?: (fromSeq: number, limit: number) => AuditEventRecord[];
  /** The same events packed by the database itself, where it can do that faster. */
  readonly readAuditPack?: (fromSeq: number, limit: number) => AuditEventPack;
}

/** What a database supplies to `KyselyStore`: its connections and how transactions open on them. */
export interface StoreConnections {
  readonly kind: 'sqlite' | 'postgres';
  readonly location: string;
  /** Runs fn in a transaction that no other writer, in any process, can enter meanwhile. */
  exclusive<T>(fn: (session: StoreSession) => Promise<T>): Promise<T>;
  /** Runs fn in a transaction that sees one consistent snapshot. */
  snapshot<T>(fn: (session: StoreSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
