import { isUtf8 } from 'node:buffer';
import { hash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { AuditPackLayout } from '../store/audit-event-pack.js';
import { packIntact } from './pack-check.js';

/**
 * Checks packs (hashes and columns, see packIntact), each taken over once given.
 * A check may still be running when the next pack is given.
 */
export interface BatchChecker {
  check(layout: AuditPackLayout): Promise<boolean>;
  close(): Promise<void>;
}

export const inThreadBatchChecker: BatchChecker = {
  check: (layout) => Promise.resolve(packIntact(hash, isUtf8, layout.bytes, layout.ends)),
  close: () => Promise.resolve(),
};

/** Below this many events a worker's start-up costs more than it saves. */
export const PARALLEL_MIN_EVENTS = 50_000;

export function shouldCheckInParallel(events: number): boolean {
  return events >= PARALLEL_MIN_EVENTS && availableParallelism() > 1;
}

// Evaluated source rather than a module file, so that it runs the same from the sources
// and from the single-file bundle; packIntact is written to be self-contained for this.
// esbuild's keepNames (tsx, the bundle) wraps functions in a `__name` helper that lives
// outside the function's own text; the worker gets a stand-in.
const WORKER_SOURCE = `
const { parentPort, workerData: finished } = require('node:worker_threads');
const { isUtf8 } = require('node:buffer');
const { hash } = require('node:crypto');
const __name = (fn) => fn;
const packIntact = ${packIntact.toString()};
parentPort.on('message', ({ bytes, ends }) => {
  const intact = packIntact(hash, isUtf8, bytes, ends);
  Atomics.add(finished, 0, 1);
  parentPort.postMessage(intact);
});
`;

/** Packs queued on the worker beyond which the caller checks the next one itself. */
const WORKER_BACKLOG = 2;

/**
 * Checks on a worker thread while the caller reads the next pack: reading from the store
 * and checking are the two halves of verification's cost, and on two cores they overlap.
 * The pack's buffers move to the worker without a copy. Checking costs more than reading,
 * so when the worker falls behind, the caller checks a pack itself instead of waiting.
 */
export function workerBatchChecker(): BatchChecker {
  // How many packs the worker has finished, read without waiting for its messages.
  const finished = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  // The worker runs plain JavaScript and node: modules only: loaders the process started
  // with (tsx, in development) would only slow its start.
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: finished, execArgv: [] });
  let sent = 0;
  const waiting: { resolve: (intact: boolean) => void; reject: (error: Error) => void }[] = [];
  let closing = false;
  const failAll = (error: Error): void => {
    for (const entry of waiting.splice(0)) entry.reject(error);
  };
  worker.on('message', (intact: boolean) => waiting.shift()?.resolve(intact));
  worker.on('error', failAll);
  worker.on('exit', () => {
    if (!closing) failAll(new Error('the audit verification worker stopped'));
  });
  return {
    check(layout) {
      if (sent - Atomics.load(finished, 0) >= WORKER_BACKLOG) {
        return inThreadBatchChecker.check(layout);
      }
      sent++;
      const { bytes, ends } = layout;
      const result = new Promise<boolean>((resolve, reject) => {
        waiting.push({ resolve, reject });
        // A view on part of a larger buffer (Buffer's shared pool) is copied instead.
        const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
        const transfer = whole
          ? [bytes.buffer as ArrayBuffer, ends.buffer as ArrayBuffer]
          : [ends.buffer as ArrayBuffer];
        worker.postMessage({ bytes, ends }, transfer);
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
