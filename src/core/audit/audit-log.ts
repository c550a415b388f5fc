import type { StoreWriter } from '../store/store.js';
import type { AuditCheckpointRecord, AuditEventRecord } from '../store/records.js';
import type { Clock } from '../time/clock.js';
import { AUDIT_GENESIS_HASH, type AuditEventInput } from './audit-event.js';
import type { CheckpointAnchor } from './checkpoint-anchor.js';
import { signCheckpoint } from './checkpoint.js';
import { nextAuditEvent } from './next-audit-event.js';
import type { Signer } from './signer.js';

/** The part of a store transaction the log writes through. */
export type AuditWriter = Pick<
  StoreWriter,
  | 'auditHead'
  | 'appendAuditEvent'
  | 'insertAuditCheckpoint'
  | 'insertAuditKey'
  | 'listAuditCheckpoints'
>;

/** Anything that runs a transaction over an AuditWriter; every `Store` does. */
export interface AuditTransactions {
  write<T>(fn: (writer: AuditWriter) => Promise<T>): Promise<T>;
}

export interface AuditLogOptions {
  readonly clock: Clock;
  readonly signer: Signer;
  /** A signed checkpoint every this many events (default 1000). */
  readonly checkpointEvery?: number;
  /** Where `seal` keeps a copy of the latest checkpoint outside the store. */
  readonly anchor?: CheckpointAnchor;
}

export const DEFAULT_CHECKPOINT_EVERY = 1000;

/**
 * Appends hash-chained events inside the caller's store transaction, so an event is kept
 * exactly when the state change it records is kept.
 */
export class AuditLog {
  readonly checkpointEvery: number;
  private readonly clock: Clock;
  private readonly signer: Signer;
  private readonly anchor: CheckpointAnchor | undefined;

  constructor(options: AuditLogOptions) {
    const every = options.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY;
    if (!Number.isInteger(every) || every < 1) {
      throw new RangeError(`checkpointEvery must be a positive integer, not ${every}`);
    }
    this.checkpointEvery = every;
    this.clock = options.clock;
    this.signer = options.signer;
    this.anchor = options.anchor;
  }

  async append(writer: AuditWriter, input: AuditEventInput): Promise<AuditEventRecord> {
    const [record] = await this.appendAll(writer, [input]);
    // appendAll returns one record per input.
    return record!;
  }

  /** Appends several events in order, reading the head once. */
  async appendAll(
    writer: AuditWriter,
    inputs: readonly AuditEventInput[],
  ): Promise<AuditEventRecord[]> {
    let head = (await writer.auditHead()) ?? { seq: 0, hash: AUDIT_GENESIS_HASH };
    const records: AuditEventRecord[] = [];
    for (const input of inputs) {
      const record = nextAuditEvent(head, input, this.clock.now().toISOString());
      await writer.appendAuditEvent(record);
      records.push(record);
      head = record;
      if (record.seq % this.checkpointEvery === 0) await this.writeCheckpoint(writer, record);
    }
    return records;
  }

  /**
   * A signed checkpoint of the current head, unless the latest one already covers it with
   * this key. Undefined for an empty log.
   */
  async checkpoint(writer: AuditWriter): Promise<AuditCheckpointRecord | undefined> {
    const head = await writer.auditHead();
    if (head === undefined) return undefined;
    const latest = (await writer.listAuditCheckpoints()).at(-1);
    if (latest?.seq === head.seq && latest.keyId === this.signer.keyId) return latest;
    return this.writeCheckpoint(writer, head);
  }

  /**
   * Checkpoints the head in its own transaction, then copies the checkpoint to the anchor.
   * The anchor is written only after the commit: an anchor ahead of the store would read
   * as truncation.
   */
  async seal(store: AuditTransactions): Promise<AuditCheckpointRecord | undefined> {
    const checkpoint = await store.write((writer) => this.checkpoint(writer));
    if (checkpoint !== undefined) await this.anchor?.write(checkpoint);
    return checkpoint;
  }

  private async writeCheckpoint(
    writer: AuditWriter,
    head: { readonly seq: number; readonly hash: string },
  ): Promise<AuditCheckpointRecord> {
    const at = this.clock.now().toISOString();
    await writer.insertAuditKey({
      keyId: this.signer.keyId,
      publicKey: this.signer.publicKeyPem,
      createdAt: at,
    });
    const checkpoint = signCheckpoint(head, at, this.signer);
    await writer.insertAuditCheckpoint(checkpoint);
    return checkpoint;
  }
}
