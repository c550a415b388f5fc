import { setTimeout as delay } from 'node:timers/promises';
import { isProcessAlive } from '../../os/process-table.js';
import { probeInstance } from './instance-probe.js';
import { readSlotState, type SlotState } from './slot-state.js';

const POLL_MS = 100;

export interface ReadyWait {
  readonly stateFile: string;
  readonly supervisorPid: number;
  readonly host: string;
  readonly port: number;
  readonly healthPath?: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export type ReadyOutcome =
  | { readonly kind: 'ready'; readonly state: SlotState }
  /** The app exited before it was ready (the supervisor may already be restarting it). */
  | { readonly kind: 'exited'; readonly how: string }
  | { readonly kind: 'timeout'; readonly detail: string }
  | { readonly kind: 'aborted' }
  | { readonly kind: 'supervisor-died' };

/**
 * Polls until the new app answers (its health path 2xx, or its port), it exits, the
 * timeout passes or the caller aborts. A crash during start fails at once instead of
 * waiting through the supervisor's restarts.
 */
export async function awaitReady(wait: ReadyWait): Promise<ReadyOutcome> {
  const deadline = Date.now() + wait.timeoutMs;
  let detail = 'the supervisor did not start the app';
  for (;;) {
    if (wait.signal?.aborted === true) return { kind: 'aborted' };
    const state = readSlotState(wait.stateFile);
    const ours =
      state !== undefined && state.supervisor.pid === wait.supervisorPid ? state : undefined;
    const last = ours?.restarts.at(-1);
    if (last !== undefined) {
      const how =
        last.exitCode === null
          ? `was killed by ${last.signal}`
          : `exited with code ${last.exitCode}`;
      return { kind: 'exited', how };
    }
    if (ours?.phase === 'running') {
      const probe = await probeInstance(wait.host, wait.port, wait.healthPath);
      if (probe.ready) return { kind: 'ready', state: ours };
      detail = probe.detail;
    } else if (!isProcessAlive(wait.supervisorPid)) {
      return { kind: 'supervisor-died' };
    }
    if (Date.now() >= deadline) return { kind: 'timeout', detail };
    await delay(Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
  }
}
