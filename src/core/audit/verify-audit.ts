import { auditPackLayout } from '../store/audit-event-pack.js';
import type { StoreReader } from '../store/store.js';
import type { AuditCheckpointRecord } from '../store/records.js';
import { AuditWalk, type ReachedCheckpoint, type WalkPosition } from './audit-walk.js';
import { type TrustedKey, checkpointProblem, checkpointsToCheck } from './checkpoint-check.js';
import {
  type BatchChecker,
  inThreadBatchChecker,
  shouldCheckInParallel,
  workerBatchChecker,
} from './batch-checker.js';
import { type AuditVerdict, bad, beyondHead, checkRecords } from './record-check.js';

export type { TrustedKey } from './checkpoint-check.js';
export type { AuditVerdict } from './record-check.js';

/** The part of a store snapshot verification reads. */
export type AuditReader = Pick<
  StoreReader,
  'auditHead' | 'auditEventPack' | 'auditEvents' | 'listAuditCheckpoints'
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

/**
 * Walks the whole chain in sequence order, streaming, and checks every event's hash and
 * link, every checkpoint's signature and hash, and the anchor. Stops at the first problem.
 *
 * Events are read in packs (AuditEventPack) and checked the quick way: the walk here,
 * hashes and columns beside it (on a worker thread, for large logs), signatures on the
 * thread pool, each pack checked while the next is read. The quick way only says whether
 * a batch is intact. A batch it doubts is read again as records and checked the plain way,
 * which names the first problem; what is reported never rests on the shortcuts.
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
  const run: Run = {
    reader,
    walk,
    checker,
    size: Math.max(1, Math.floor(options.batchSize ?? DEFAULT_BATCH)),
    progress: (verified) => options.onProgress?.({ verified, total }),
  };
  try {
    const verdict = await walkChain(run);
    if (verdict !== undefined) return verdict;
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

// Small enough that a pack (about half a megabyte) is still in cache when it is checked:
// packs of 2,000 and 5,000 events measured slower.
const DEFAULT_BATCH = 1000;

interface Run {
  readonly reader: AuditReader;
  readonly walk: AuditWalk;
  readonly checker: BatchChecker;
  readonly size: number;
  readonly progress: (verified: number) => void;
}

/** A batch read as a pack: walked, its hashes and columns being checked; or doubted. */
type PackedBatch = { readonly from: number; readonly before: WalkPosition } & (
  | { readonly walked: false }
  | {
      readonly walked: true;
      readonly count: number;
      /** The walk's head after it. */
      readonly head: number;
      readonly intact: Promise<boolean>;
      readonly reached: readonly ReachedCheckpoint[];
    }
);

/**
 * The events, from seq 1 on, read ahead of their checks by up to IN_FLIGHT packs; a
 * verdict at the first problem, undefined when every event is intact.
 */
async function walkChain(run: Run): Promise<AuditVerdict | undefined> {
  const { walk, size, progress } = run;
  const inFlight: PackedBatch[] = [];
  let from = 1;
  let more = true;
  while (more || inFlight.length > 0) {
    if (more && inFlight.length < IN_FLIGHT) {
      const current = await readPack(run, from);
      inFlight.push(current);
      // A doubted pack is checked again once the packs before it are settled.
      more = current.walked && current.count === size;
      from = walk.head + 1;
      continue;
    }
    const oldest = inFlight.shift()!;
    if (oldest.walked && (await intact(oldest))) {
      if (oldest.count > 0) progress(oldest.head);
      continue;
    }
    // Its problems come before any in the packs read since, which are dropped.
    inFlight.length = 0;
    walk.goTo(oldest.before);
    const { verdict, count } = await checkRecords(run.reader, walk, oldest.from, size);
    if (verdict !== undefined) return verdict;
    progress(walk.head);
    more = count === size;
    from = walk.head + 1;
  }
  return undefined;
}

// Enough to keep the worker and the reading thread both busy (see workerBatchChecker).
const IN_FLIGHT = 4;

async function readPack(run: Run, from: number): Promise<PackedBatch> {
  const { reader, walk, checker, size } = run;
  const before = walk.position();
  const layout = auditPackLayout(await reader.auditEventPack(from, size));
  const reached: ReachedCheckpoint[] = [];
  if (layout === undefined || !walk.pack(layout, reached)) return { from, before, walked: false };
  // Checked after the walk: the checker takes the pack over.
  const intact = layout.count === 0 ? Promise.resolve(true) : checker.check(layout);
  return { from, before, walked: true, count: layout.count, head: walk.head, intact, reached };
}

async function intact(batch: PackedBatch & { walked: true }): Promise<boolean> {
  if (!(await batch.intact)) return false;
  for (const { entry, eventHash } of batch.reached) {
    if ((await checkpointProblem(entry, eventHash)) !== undefined) return false;
  }
  return true;
}
