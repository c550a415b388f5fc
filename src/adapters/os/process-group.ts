import { setTimeout as delay } from 'node:timers/promises';
import { groupMembers } from './process-table.js';

const POLL_MS = 50;
/** After SIGKILL the kernel needs a moment; longer than this means something holds the processes. */
const KILL_WAIT_MS = 5_000;

/** Sends `signal` to every process of the group; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  if (!Number.isInteger(pgid) || pgid <= 1) return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Resolves true once no live process is left in any of the groups, false at the deadline. */
export async function waitGroupsGone(
  pgids: readonly number[],
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (pgids.every((pgid) => groupMembers(pgid).length === 0)) return true;
    if (Date.now() >= deadline) return false;
    await delay(POLL_MS);
  }
}

/**
 * Stops process groups the way a supervisor should: SIGTERM, `graceMs` to finish in-flight
 * work, then SIGKILL. Resolves true when every process of every group is gone.
 */
export async function terminateGroups(pgids: readonly number[], graceMs: number): Promise<boolean> {
  const live = pgids.filter((pgid) => groupMembers(pgid).length > 0);
  if (live.length === 0) return true;
  for (const pgid of live) signalGroup(pgid, 'SIGTERM');
  if (await waitGroupsGone(live, graceMs)) return true;
  for (const pgid of live) signalGroup(pgid, 'SIGKILL');
  return waitGroupsGone(live, KILL_WAIT_MS);
}
