import { refused } from '../../../core/errors/eclusa-error.js';
import type { StartRequest } from '../../../core/target/target.js';
import { findFreePort, isPortFree } from '../../os/tcp-port.js';
import { listSlots, stateFile } from './slot-paths.js';
import { readSlotState } from './slot-state.js';

/**
 * The port a new instance listens on: the one the request names, refused when another
 * program holds it, or a free one that no other slot of the component has recorded (a slot
 * between a crash and its restart does not hold its port, but will want it back).
 */
export async function chooseSlotPort(
  request: StartRequest,
  dir: string,
  host: string,
): Promise<number> {
  if (request.port === undefined) {
    const taken = new Set(
      listSlots(dir).flatMap((slot) => readSlotState(stateFile(dir, slot))?.port ?? []),
    );
    return findFreePort(host, taken);
  }
  if (!(await isPortFree(request.port, host))) {
    throw refused(
      'TARGET_PORT_IN_USE',
      `port ${request.port} on ${host} is already in use by another program; ${request.component} ${request.version} was not started`,
      { hint: `free the port (ss -ltnp 'sport = :${request.port}') or let eclusa pick one` },
    );
  }
  return request.port;
}
