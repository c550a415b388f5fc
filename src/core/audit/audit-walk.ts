import {
  AUDIT_PACK_FIELD,
  AUDIT_PACK_FIELDS,
  type AuditPackLayout,
} from '../store/audit-event-pack.js';
import type { AuditEventRecord } from '../store/records.js';
import { AUDIT_GENESIS_HASH } from './audit-event.js';
import type { CheckpointToCheck } from './checkpoint-check.js';

/**
 * Order of checks within one event, so that the problem reported is the one a sequential
 * check would have met first: where it sits, its hash, its columns, its checkpoints.
 */
export const RANK = { position: 0, hash: 1, columns: 2, checkpoint: 3 } as const;
export type Rank = (typeof RANK)[keyof typeof RANK];

export interface WalkProblem {
  readonly index: number;
  readonly rank: Rank;
  readonly seq: number;
  readonly reason: string;
}

/** A checkpoint the walk reached, at the batch index of the event at its seq. */
export interface ReachedCheckpoint {
  readonly index: number;
  readonly entry: CheckpointToCheck;
  readonly eventHash: string;
}

/** Where a walk stands, to go back to. */
export interface WalkPosition {
  readonly expected: number;
  readonly prevHash: string;
  readonly next: number;
}

/**
 * The walk over the chain in sequence order: where each event sits (its seq, its link to
 * the previous event) and which checkpoints fall on it. Hashes, columns and signatures
 * are checked beside it.
 */
export class AuditWalk {
  private expected = 1;
  private prevHash = AUDIT_GENESIS_HASH;
  private next = 0;

  constructor(private readonly checkpoints: readonly CheckpointToCheck[]) {}

  get head(): number {
    return this.expected - 1;
  }

  position(): WalkPosition {
    return { expected: this.expected, prevHash: this.prevHash, next: this.next };
  }

  /** Goes back to a position taken earlier. */
  goTo(position: WalkPosition): void {
    ({ expected: this.expected, prevHash: this.prevHash, next: this.next } = position);
  }

  /** Checkpoints after the last event walked. */
  remaining(): readonly CheckpointToCheck[] {
    return this.checkpoints.slice(this.next);
  }

  /**
   * Walks a pack as `batch` walks records, but only says whether every event has its seq
   * and the first links to the event before the pack (the links inside the pack are for
   * packIntact, beside the walk). After false it stands where it was.
   */
  pack(layout: AuditPackLayout, reached: ReachedCheckpoint[]): boolean {
    const { bytes, ends, seqs } = layout;
    const { expected: first, prevHash, next, checkpoints } = this;
    let passed = 0;
    let nextSeq = checkpoints[next]?.checkpoint.seq ?? Infinity;
    const value = (event: number, field: number): string => {
      const index = event * AUDIT_PACK_FIELDS + field;
      return bytes.toString('utf8', ends[index - 1]! + 1, ends[index]);
    };
    if (layout.count > 0 && value(0, AUDIT_PACK_FIELD.prevHash) !== prevHash) return false;
    for (let event = 0; event < layout.count; event++) {
      const seq = seqs[event]!;
      if (seq !== first + event) return false;
      while (nextSeq === seq) {
        const eventHash = value(event, AUDIT_PACK_FIELD.hash);
        reached.push({ index: event, entry: checkpoints[next + passed++]!, eventHash });
        nextSeq = checkpoints[next + passed]?.checkpoint.seq ?? Infinity;
      }
    }
    this.goTo({
      expected: first + layout.count,
      prevHash: layout.count === 0 ? prevHash : value(layout.count - 1, AUDIT_PACK_FIELD.hash),
      next: next + passed,
    });
    return true;
  }

  /** Walks a batch until its first problem; `reached` gets the checkpoints met on the way. */
  batch(batch: readonly AuditEventRecord[], reached: ReachedCheckpoint[]): WalkProblem | undefined {
    let nextSeq = this.checkpoints[this.next]?.checkpoint.seq ?? Infinity;
    for (let index = 0; index < batch.length; index++) {
      const event = batch[index]!;
      const seq = event.seq;
      if (seq !== this.expected) {
        const reason = gapReason(this.expected, seq);
        return { index, rank: RANK.position, seq: this.expected, reason };
      }
      if (event.prevHash !== this.prevHash) {
        return { index, rank: RANK.position, seq, reason: linkReason(seq) };
      }
      while (nextSeq === seq) {
        reached.push({ index, entry: this.checkpoints[this.next++]!, eventHash: event.hash });
        nextSeq = this.checkpoints[this.next]?.checkpoint.seq ?? Infinity;
      }
      this.prevHash = event.hash;
      this.expected = seq + 1;
    }
    return undefined;
  }
}

function gapReason(expected: number, found: number): string {
  if (found < expected) return `event ${found}: appears again after event ${expected - 1}`;
  if (found === expected + 1) return `event ${expected} is missing (deleted?)`;
  return `events ${expected} to ${found - 1} are missing (deleted?)`;
}

function linkReason(seq: number): string {
  return seq === 1
    ? 'event 1: does not start the chain (its previous hash is not the genesis hash)'
    : `event ${seq}: does not follow event ${seq - 1} (an event before it was deleted, inserted or moved?)`;
}
