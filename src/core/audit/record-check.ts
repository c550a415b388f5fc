import { hash } from 'node:crypto';
import type { StoreReader } from '../store/store.js';
import type { AuditEventRecord } from '../store/records.js';
import { type AuditWalk, RANK, type ReachedCheckpoint, type WalkProblem } from './audit-walk.js';
import { type CheckpointToCheck, checkpointProblem } from './checkpoint-check.js';
import { type BadEvent, eventColumns, firstBadEvent } from './event-check.js';

export interface AuditVerdict {
  readonly ok: boolean;
  /** Events verified before the first problem (all of them when ok). */
  readonly events: number;
  /** The first problem in sequence order, as a sentence a person can act on. */
  readonly firstBad: null | { readonly seq: number; readonly reason: string };
}

/** Reads a batch as records and checks it the plain way, which names its first problem. */
export async function checkRecords(
  reader: Pick<StoreReader, 'auditEvents'>,
  walk: AuditWalk,
  from: number,
  size: number,
): Promise<{ verdict: AuditVerdict | undefined; count: number }> {
  const batch = await reader.auditEvents(from, size);
  const verifiedBefore = walk.head;
  const reached: ReachedCheckpoint[] = [];
  const problem = walk.batch(batch, reached);
  const badEvent = firstBadEvent(hash, eventColumns(batch));
  const verdict = await settle({ batch, verifiedBefore, badEvent, problem, reached });
  return { verdict, count: batch.length };
}

interface WalkedBatch {
  readonly batch: readonly AuditEventRecord[];
  readonly verifiedBefore: number;
  readonly badEvent: BadEvent | null;
  readonly problem: WalkProblem | undefined;
  readonly reached: readonly ReachedCheckpoint[];
}

const HASH_MISMATCH = 'hash does not match its contents (edited?)';
const COLUMN_EDITED = 'column differs from its hashed contents (edited?)';

/** The batch's first problem — the walk's, an event's or a checkpoint's — if any. */
async function settle(walked: WalkedBatch): Promise<AuditVerdict | undefined> {
  const candidates: WalkProblem[] = walked.problem ? [walked.problem] : [];
  const { badEvent } = walked;
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
export async function beyondHead(
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

export function bad(events: number, seq: number, reason: string): AuditVerdict {
  return { ok: false, events, firstBad: { seq, reason } };
}
