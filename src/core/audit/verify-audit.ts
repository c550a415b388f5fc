import type { StoreReader } from '../store/store.js';
import type { AuditCheckpointRecord, AuditEventRecord } from '../store/records.js';
import { AuditWalk, RANK, type ReachedCheckpoint, type WalkProblem } from './audit-walk.js';
import {
  type CheckpointToCheck,
  type TrustedKey,
  checkpointProblem,
  checkpointsToCheck,
} from './checkpoint-check.js';
import {
  inThreadBatchChecker,
  shouldCheckInParallel,
  workerBatchChecker,
} from './batch-checker.js';
import type { BadEvent } from './event-check.js';

export type { TrustedKey } from './checkpoint-check.js';

/** The part of a store snapshot verification reads. */
export type AuditReader = Pick<
  StoreReader,
  'auditHead' | 'iterateAuditEvents' | 'listAuditCheckpoints'
>;

export interface VerifyAuditOptions {
  /**
   * The keys whose checkpoints count. Trust comes from outside the store — the instance
   * key and keys named by configuration — since anyone who can rewrite the log can also
   * add a key to the store's key table.
   */
  readonly trustedKeys: readonly TrustedKey[];
  /** The checkpoint kept beside the store (`CheckpointAnchor.read()`): catches truncation. */
  readonly anchor?: AuditCheckpointRecord;
  /** Events per read (default 1,000). */
  readonly batchSize?: number;
  /** Hash on a worker thread; by default only for large logs on a machine with spare cores. */
  readonly parallel?: boolean;
  /** Called after each batch. */
  readonly onProgress?: (progress: { readonly verified: number; readonly total: number }) => void;
}

export interface AuditVerdict {
  readonly ok: boolean;
  /** Events verified before the first problem (all of them when ok). */
  readonly events: number;
  /** The first problem in sequence order, as a sentence a person can act on. */
  readonly firstBad: null | { readonly seq: number; readonly reason: string };
}

interface WalkedBatch {
  readonly batch: readonly AuditEventRecord[];
  readonly verifiedBefore: number;
  readonly badEvent: Promise<BadEvent | null>;
  readonly problem: WalkProblem | undefined;
  readonly reached: readonly ReachedCheckpoint[];
}

/**
 * Walks the whole chain in sequence order, streaming, and checks every event's hash and
 * link, every checkpoint's signature and hash, and the anchor. Stops at the first problem.
 * Hashes and columns (on a worker thread, for large logs) and signatures (on the thread
 * pool) are checked beside the walk and merged with it one batch behind, so that checking
 * a batch overlaps reading the next and the problem reported is still the first in order.
 */
export async function verifyAudit(
  reader: AuditReader,
  options: VerifyAuditOptions,
): Promise<AuditVerdict> {
  const fromStore = (await reader.listAuditCheckpoints()).map((checkpoint) => ({
    checkpoint,
    name: 'checkpoint',
  }));
  const anchor = options.anchor && {
    checkpoint: options.anchor,
    name: 'the checkpoint kept beside the store',
  };
  const checkpoints = checkpointsToCheck(
    anchor ? [...fromStore, anchor] : fromStore,
    options.trustedKeys,
  );
  const first = checkpoints[0];
  if (first !== undefined && first.checkpoint.seq < 1) {
    const { checkpoint, name } = first;
    return bad(0, checkpoint.seq, `${name} at event ${checkpoint.seq} refers to no event`);
  }

  const total = (await reader.auditHead())?.seq ?? 0;
  const checker =
    (options.parallel ?? shouldCheckInParallel(total))
      ? workerBatchChecker()
      : inThreadBatchChecker;
  const walk = new AuditWalk(checkpoints);
  try {
    let previous: WalkedBatch | undefined;
    for await (const batch of reader.iterateAuditEvents(1, options.batchSize ?? DEFAULT_BATCH)) {
      const verifiedBefore = walk.head;
      const reached: ReachedCheckpoint[] = [];
      const badEvent = checker.check(batch);
      const problem = walk.batch(batch, reached);
      const current = { batch, verifiedBefore, badEvent, problem, reached };
      if (previous !== undefined) {
        const verdict = await settle(previous);
        if (verdict !== undefined) return verdict;
        options.onProgress?.({ verified: verifiedBefore, total });
      }
      if (problem !== undefined) return (await settle(current))!;
      previous = current;
    }
    if (previous !== undefined) {
      const verdict = await settle(previous);
      if (verdict !== undefined) return verdict;
      options.onProgress?.({ verified: walk.head, total });
    }
  } finally {
    await checker.close();
  }
  return (
    (await beyondHead(walk.remaining(), walk.head)) ?? {
      ok: true,
      events: walk.head,
      firstBad: null,
    }
  );
}

// Small enough that a batch is still in cache when it is checked, and that batches die
// young: with 10,000 events a batch, verification measured a third slower.
const DEFAULT_BATCH = 1000;

const HASH_MISMATCH = 'hash does not match its contents (edited?)';
const COLUMN_EDITED = 'column differs from its hashed contents (edited?)';

/** The batch's first problem — the walk's, an event's or a checkpoint's — if any. */
async function settle(walked: WalkedBatch): Promise<AuditVerdict | undefined> {
  const candidates: WalkProblem[] = walked.problem ? [walked.problem] : [];
  const badEvent = await walked.badEvent;
  if (badEvent !== null) {
    const { index, what } = badEvent;
    const seq = walked.batch[index]!.seq;
    candidates.push(
      what === 'hash'
        ? { index, seq, rank: RANK.hash, reason: `event ${seq}: ${HASH_MISMATCH}` }
        : { index, seq, rank: RANK.columns, reason: `event ${seq}: its ${what} ${COLUMN_EDITED}` },
    );
  }
  for (const { index, entry, eventHash } of walked.reached) {
    const reason = await checkpointProblem(entry, eventHash);
    if (reason === undefined) continue;
    candidates.push({ index, rank: RANK.checkpoint, seq: entry.checkpoint.seq, reason });
    break;
  }
  candidates.sort((a, b) => a.index - b.index || a.rank - b.rank);
  const firstProblem = candidates[0];
  return (
    firstProblem &&
    bad(walked.verifiedBefore + firstProblem.index, firstProblem.seq, firstProblem.reason)
  );
}

/** Checkpoints (and the anchor) past the last event: the log lost its tail. */
async function beyondHead(
  remaining: readonly CheckpointToCheck[],
  head: number,
): Promise<AuditVerdict | undefined> {
  const entry = remaining[0];
  if (entry === undefined) return undefined;
  const problem = await checkpointProblem(entry, undefined);
  if (problem !== undefined) return bad(head, entry.checkpoint.seq, problem);
  const { seq } = entry.checkpoint;
  const missing = seq === head + 1 ? `event ${seq} is` : `events ${head + 1} to ${seq} are`;
  const end = head === 0 ? 'is empty' : `ends at event ${head}`;
  return bad(
    head,
    head + 1,
    `${missing} missing: ${entry.name} covers event ${seq} but the log ${end} (truncated?)`,
  );
}

function bad(events: number, seq: number, reason: string): AuditVerdict {
  return { ok: false, events, firstBad: { seq, reason } };
}
