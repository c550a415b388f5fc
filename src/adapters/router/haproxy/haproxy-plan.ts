import type { ServerState } from './haproxy-client.js';

/** What one server of the backend should be after a route change. */
export interface DesiredServer {
  readonly name: string;
  readonly addr: string;
  readonly port: number;
  /** 0–100; 0 with `active: false` puts the server in maintenance (no canary). */
  readonly weight: number;
  readonly active: boolean;
}

const FORCED_MAINT = 0x01;
const FORCED_DRAIN = 0x08;

function inMaintenance(server: ServerState): boolean {
  return (server.adminState & (FORCED_MAINT | FORCED_DRAIN)) !== 0 || server.opState === 0;
}

/** Whether new requests can reach this server now. */
export function carriesTraffic(server: ServerState): boolean {
  return !inMaintenance(server) && server.weight > 0;
}

/**
 * The runtime API commands that take the backend from `current` to `desired`, ordered so
 * that every moment in between is safe: addresses of idle servers change first, weights
 * rise before others fall (the backend never has no server with weight), the address of a
 * server carrying traffic changes in one command (new requests go to the new address,
 * requests in flight finish on the old), and servers leave last. Pure, for testing.
 */
export function planServerCommands(
  backend: string,
  current: readonly ServerState[],
  desired: readonly DesiredServer[],
): string[] {
  const idleAddresses: string[] = [];
  const wakeUps: string[] = [];
  const raises: string[] = [];
  const liveAddresses: string[] = [];
  const lowers: string[] = [];
  const sleeps: string[] = [];
  for (const want of desired) {
    const now = current.find((server) => server.name === want.name);
    const ref = `${backend}/${want.name}`;
    if (now === undefined) throw new Error(`server ${ref} is not in the running HAProxy`);
    const moves = now.addr !== want.addr || now.port !== want.port;
    const setAddr = `set server ${ref} addr ${want.addr} port ${want.port}`;
    if (moves) (carriesTraffic(now) ? liveAddresses : idleAddresses).push(setAddr);
    if (!want.active) {
      if (now.weight !== 0) lowers.push(`set server ${ref} weight 0`);
      if (!inMaintenance(now)) sleeps.push(`set server ${ref} state maint`);
      continue;
    }
    if (inMaintenance(now)) {
      // Weight first, while no request can reach it; then it joins with the right share.
      if (now.weight !== want.weight) wakeUps.push(`set server ${ref} weight ${want.weight}`);
      wakeUps.push(`set server ${ref} state ready`);
    } else if (want.weight > now.weight) {
      raises.push(`set server ${ref} weight ${want.weight}`);
    } else if (want.weight < now.weight) {
      lowers.push(`set server ${ref} weight ${want.weight}`);
    }
  }
  return [...idleAddresses, ...wakeUps, ...raises, ...liveAddresses, ...lowers, ...sleeps];
}
