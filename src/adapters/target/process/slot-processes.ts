import { terminateGroups } from '../../os/process-group.js';
import { groupMembers, isProcessAlive } from '../../os/process-table.js';
import type { ProcessRef, SlotState } from './slot-state.js';

/**
 * Whether the group led by `ref` is still ours. While its leader lives it must be the very
 * process recorded (same start time); once the leader is gone, Linux never hands its pid to
 * a new process while the group still has members, so any members left are ours.
 */
function ownedGroup(ref: ProcessRef | undefined): number | undefined {
  if (ref === undefined) return undefined;
  if (isProcessAlive(ref.pid) && !isProcessAlive(ref.pid, ref.startTime)) return undefined;
  return groupMembers(ref.pid).length > 0 ? ref.pid : undefined;
}

/** The live process groups of a slot: the supervisor's (its own session) and the app's. */
export function liveGroups(state: SlotState): { supervisor?: number; app?: number } {
  const supervisor = ownedGroup(state.supervisor);
  const app = ownedGroup(state.app);
  return {
    ...(supervisor === undefined ? {} : { supervisor }),
    ...(app === undefined ? {} : { app }),
  };
}

/**
 * Stops the supervisor and the app, each group SIGTERM then SIGKILL after `graceMs`.
 * The supervisor stops restarting as soon as it gets SIGTERM. Returns false when something
 * survived SIGKILL.
 */
export async function stopSlotProcesses(
  read: () => SlotState | undefined,
  first: SlotState,
  graceMs: number,
): Promise<boolean> {
  let state: SlotState | undefined = first;
  // A supervisor between a crash and its restart may start one more app: look again.
  for (let round = 0; round < 3 && state !== undefined; round++) {
    const groups = liveGroups(state);
    const pgids = [groups.supervisor, groups.app].filter((pgid) => pgid !== undefined);
    if (pgids.length === 0) return true;
    if (!(await terminateGroups(pgids, graceMs))) return false;
    state = read();
  }
  return state === undefined || Object.keys(liveGroups(state)).length === 0;
}
