import { hash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { AuditEventRecord } from '../store/records.js';
import { type BadEvent, eventColumns, firstBadEvent } from './event-check.js';

/** Checks batches of events (hashes and columns), in the order they are given. */
export interface BatchChecker {
  check(batch: readonly AuditEventRecord[]): Promise<BadEvent | null>;
  close(): Promise<void>;
}

export const inThreadBatchChecker: BatchChecker = {
  check: (batch) => Promise.resolve(firstBadEvent(hash, eventColumns(batch))),
  close: () => Promise.resolve(),
};

/** Below this many events a worker's start-up costs more than it saves. */
export const PARALLEL_MIN_EVENTS = 50_000;

export function shouldCheckInParallel(events: number): boolean {
  return events >= PARALLEL_MIN_EVENTS && availableParallelism() > 1;
}

// Evaluated source rather than a module file, so that it runs the same from the sources
// and from the single-file bundle; firstBadEvent is written to be self-contained for this.
// esbuild's keepNames (tsx, the bundle) wraps functions in a `__name` helper that lives
// outside the function's own text; the worker gets a stand-in.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { hash } = require('node:crypto');
const __name = (fn) => fn;
const firstBadEvent = ${firstBadEvent.toString()};
parentPort.on('message', (columns) => parentPort.postMessage(firstBadEvent(hash, columns)));
`;

/**
 * Checks on a worker thread while the caller reads the next batch: reading rows from the
 * store and hashing them are the two halves of verification's cost, and on two cores
 * they overlap.
 */
export function workerBatchChecker(): BatchChecker {
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  const waiting: { resolve: (bad: BadEvent | null) => void; reject: (error: Error) => void }[] = [];
  let closing = false;
  const failAll = (error: Error): void => {
    for (const entry of waiting.splice(0)) entry.reject(error);
  };
  worker.on('message', (bad: BadEvent | null) => waiting.shift()?.resolve(bad));
  worker.on('error', failAll);
  worker.on('exit', () => {
    if (!closing) failAll(new Error('the audit verification worker stopped'));
  });
  return {
    check(batch) {
      const result = new Promise<BadEvent | null>((resolve, reject) => {
        waiting.push({ resolve, reject });
        worker.postMessage(eventColumns(batch));
      });
      // A check still running when verification stops early is never awaited; its
      // failure must not surface as an unhandled rejection. Awaiting it still throws.
      result.catch(() => undefined);
      return result;
    },
    async close() {
      closing = true;
      waiting.length = 0;
      await worker.terminate();
    },
  };
}
