import { type AuditEventPack, packAuditEvents } from '../../store/audit-event-pack.js';
import type {
  AuditCheckpointRecord,
  AuditEventRecord,
  AuditKeyRecord,
} from '../../store/records.js';
import type { AuditWriter } from '../audit-log.js';
import type { AuditReader } from '../verify-audit.js';

/**
 * The audit part of the store port on plain arrays, for unit tests of the chain logic;
 * the real stores are exercised in test/audit. Tests tamper with the arrays directly.
 */
export class InMemoryAuditStore implements AuditWriter, AuditReader {
  events: AuditEventRecord[] = [];
  checkpoints: AuditCheckpointRecord[] = [];
  keys: AuditKeyRecord[] = [];

  async write<T>(fn: (writer: AuditWriter) => Promise<T>): Promise<T> {
    const events = [...this.events];
    const checkpoints = [...this.checkpoints];
    const keys = [...this.keys];
    try {
      return await fn(this);
    } catch (error) {
      this.events = events;
      this.checkpoints = checkpoints;
      this.keys = keys;
      throw error;
    }
  }

  auditHead(): Promise<{ seq: number; hash: string } | undefined> {
    const last = this.events.at(-1);
    return Promise.resolve(last && { seq: last.seq, hash: last.hash });
  }

  // Array order, not seq order: a test that reorders the array is reordering the rows.
  auditEvents(fromSeq: number, limit: number): Promise<AuditEventRecord[]> {
    return Promise.resolve(this.events.filter((event) => event.seq >= fromSeq).slice(0, limit));
  }

  async auditEventPack(fromSeq: number, limit: number): Promise<AuditEventPack> {
    return packAuditEvents(await this.auditEvents(fromSeq, limit));
  }

  listAuditCheckpoints(): Promise<AuditCheckpointRecord[]> {
    return Promise.resolve([...this.checkpoints].sort((a, b) => a.seq - b.seq));
  }

  appendAuditEvent(record: AuditEventRecord): Promise<void> {
    const head = this.events.at(-1)?.seq ?? 0;
    if (record.seq !== head + 1) {
      return Promise.reject(new Error(`seq ${record.seq} does not follow ${head}`));
    }
    this.events.push(record);
    return Promise.resolve();
  }

  insertAuditCheckpoint(record: AuditCheckpointRecord): Promise<void> {
    this.checkpoints.push(record);
    return Promise.resolve();
  }

  insertAuditKey(record: AuditKeyRecord): Promise<void> {
    if (!this.keys.some((key) => key.keyId === record.keyId)) this.keys.push(record);
    return Promise.resolve();
  }
}
